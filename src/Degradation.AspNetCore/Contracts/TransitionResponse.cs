namespace Degradation.AspNetCore.Contracts;

/// <summary>One recorded transition (from, to, reason, component and times, plus sequence, kind, stages and run).</summary>
public sealed class TransitionResponse
{
    /// <summary>Strictly increasing sequence number (also the Server-Sent Events id).</summary>
    public required long Sequence { get; init; }
    /// <summary><c>mode_change</c>, <c>stage_change</c>, <c>override_started</c>, <c>override_ended</c>, <c>halt_released</c> or <c>operator_command</c>.</summary>
    public required string Kind { get; init; }
    /// <summary>Mode before, e.g. <c>normal</c>.</summary>
    public required string FromMode { get; init; }
    /// <summary>Mode after, e.g. <c>safe_mode_disconnected</c>.</summary>
    public required string ToMode { get; init; }
    /// <summary>Stage before (recovering only).</summary>
    public string? FromStage { get; init; }
    /// <summary>Stage after (recovering only).</summary>
    public string? ToStage { get; init; }
    /// <summary>The reason code, e.g. <c>broker.disconnect</c>.</summary>
    public required string ReasonCode { get; init; }
    /// <summary>The component that caused it (<c>system</c> for operator commands and timers).</summary>
    public required string Source { get; init; }
    /// <summary>Wall-clock time.</summary>
    public required DateTimeOffset Timestamp { get; init; }
    /// <summary>The operator, for operator commands.</summary>
    public string? OperatorId { get; init; }
    /// <summary>The operator's reason or the event's details.</summary>
    public string? Details { get; init; }
    /// <summary>The override TTL, for <c>override_started</c>.</summary>
    public double? OverrideTtlSeconds { get; init; }
    /// <summary>The recovery run involved, if any.</summary>
    public long? RecoveryRun { get; init; }
}
