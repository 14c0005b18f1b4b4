namespace Degradation.AspNetCore.Contracts;

/// <summary>One thing that keeps the system from Normal (an item of GET <c>status</c>'s <c>why_not_normal</c>).</summary>
public sealed class ModeHoldResponse
{
    /// <summary>
    /// <c>operator_halt</c>, <c>override</c>, <c>condition</c>, <c>never_reported</c>, <c>stale</c>, <c>safe_mode_dwell</c>,
    /// <c>stability</c>, <c>recovery_stage</c> or <c>awaiting_completion</c>.
    /// </summary>
    public required string Kind { get; init; }
    /// <summary>A one-line explanation an operator can act on.</summary>
    public required string Text { get; init; }
    /// <summary>The component concerned, if any.</summary>
    public string? Component { get; init; }
    /// <summary>Seconds the hold lasts at least, if it is timed.</summary>
    public double? RemainingSeconds { get; init; }
}
