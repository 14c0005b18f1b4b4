namespace Degradation.AspNetCore.Contracts;

/// <summary>The active operator override.</summary>
public sealed class OverrideResponse
{
    /// <summary>The forced mode.</summary>
    public required string Mode { get; init; }
    /// <summary>Who forced it (from the authenticated principal).</summary>
    public required string OperatorId { get; init; }
    /// <summary>Why.</summary>
    public required string Reason { get; init; }
    /// <summary>Its TTL.</summary>
    public required double TtlSeconds { get; init; }
    /// <summary>When it started.</summary>
    public required DateTimeOffset StartedAt { get; init; }
    /// <summary>When it ends.</summary>
    public required DateTimeOffset ExpiresAt { get; init; }
    /// <summary>Seconds left, measured on the server's monotonic clock (use it for countdowns, not the wall times).</summary>
    public required double RemainingSeconds { get; init; }
}
