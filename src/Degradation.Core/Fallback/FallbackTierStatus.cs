namespace Degradation.Fallback;

/// <summary>A point-in-time view of one tier of a chain.</summary>
public sealed record FallbackTierStatus
{
    /// <summary>The tier.</summary>
    public required FallbackTierInfo Tier { get; init; }
    /// <summary>True while its breaker is open (or testing with a trial call).</summary>
    public required bool IsBroken { get; init; }
    /// <summary>Its current run of consecutive failures.</summary>
    public required int ConsecutiveFailures { get; init; }
    /// <summary>True when it needs an approval (by kind, or because automatic failover is off).</summary>
    public required bool NeedsApproval { get; init; }
    /// <summary>True when an operator approved it.</summary>
    public required bool IsApproved { get; init; }
    /// <summary>True when traffic reached it without the approval it needs.</summary>
    public required bool ApprovalPending { get; init; }
    /// <summary>Calls it answered (not counted for the primary while active, to keep its path minimal).</summary>
    public required long Answered { get; init; }
    /// <summary>Calls that failed on it.</summary>
    public required long Failures { get; init; }
}
