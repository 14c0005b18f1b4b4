namespace Degradation.Fallback;

/// <summary>One governance event of a fallback chain: failover, restoration step, rollback, approval.</summary>
public sealed record FallbackTransition
{
    /// <summary>Strictly increasing per chain, from 1.</summary>
    public required long Sequence { get; init; }
    /// <summary>The chain.</summary>
    public required string Chain { get; init; }
    /// <summary>What happened.</summary>
    public required FallbackTransitionKind Kind { get; init; }
    /// <summary>The active tier before (null when none was usable).</summary>
    public string? FromTier { get; init; }
    /// <summary>The active tier after, or the tier concerned (approval, breaking).</summary>
    public string? ToTier { get; init; }
    /// <summary>The share of traffic the primary gets after it, during a restoration.</summary>
    public int? TrafficPercent { get; init; }
    /// <summary>The operator, for commands and approvals.</summary>
    public string? OperatorId { get; init; }
    /// <summary>Why.</summary>
    public string? Details { get; init; }
    /// <summary>Wall-clock time, for display and audit.</summary>
    public required DateTimeOffset WallTime { get; init; }
    /// <summary>Monotonic timestamp.</summary>
    public required long Timestamp { get; init; }

    /// <inheritdoc />
    public override string ToString() =>
        $"#{Sequence} {Chain} {Kind}{(FromTier is null && ToTier is null ? "" : $" {FromTier ?? "-"} -> {ToTier ?? "-"}")}" +
        $"{(TrafficPercent is { } p ? $" at {p}%" : "")}{(OperatorId is null ? "" : " by " + OperatorId)}{(Details is null ? "" : ": " + Details)}";
}
