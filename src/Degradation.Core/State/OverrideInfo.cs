namespace Degradation.State;

/// <summary>An active operator override.</summary>
public sealed record OverrideInfo
{
    /// <summary>The forced mode.</summary>
    public required SystemMode Mode { get; init; }
    /// <summary>Who forced it.</summary>
    public required string OperatorId { get; init; }
    /// <summary>Why.</summary>
    public required string Reason { get; init; }
    /// <summary>Its TTL.</summary>
    public required TimeSpan Ttl { get; init; }
    /// <summary>Wall time it started.</summary>
    public required DateTimeOffset StartedAt { get; init; }
    /// <summary>Wall time it ends.</summary>
    public required DateTimeOffset ExpiresAt { get; init; }
    /// <summary>Monotonic timestamp at which it ends.</summary>
    public required long ExpiresAtTimestamp { get; init; }
    /// <summary>
    /// The conditions the operator acknowledged to force a mode less strict than they demand (empty for a
    /// tightening override). A condition not in this list that demands more than the override ends it.
    /// </summary>
    public IReadOnlyList<ConditionInfo> Acknowledged { get; init; } = [];
}
