namespace Degradation.State;

/// <summary>An immutable record of one change made by the state machine (rule 1 in docs/RULES.md).</summary>
public sealed record ModeTransition
{
    /// <summary>Strictly increasing sequence number, starting at 1.</summary>
    public required long Sequence { get; init; }
    /// <summary>What kind of change.</summary>
    public required TransitionKind Kind { get; init; }
    /// <summary>Mode before.</summary>
    public required SystemMode From { get; init; }
    /// <summary>Mode after.</summary>
    public required SystemMode To { get; init; }
    /// <summary>Stage before (Recovering only).</summary>
    public RecoveryStage? FromStage { get; init; }
    /// <summary>Stage after (Recovering only).</summary>
    public RecoveryStage? ToStage { get; init; }
    /// <summary>Why.</summary>
    public required ReasonCode Reason { get; init; }
    /// <summary>The component whose event caused it (system for operator commands and timers).</summary>
    public required ComponentId Component { get; init; }
    /// <summary>Wall-clock time, for display and audit.</summary>
    public required DateTimeOffset WallTime { get; init; }
    /// <summary>Monotonic timestamp (<see cref="TimeProvider.GetTimestamp"/>).</summary>
    public required long Timestamp { get; init; }
    /// <summary>The operator who caused it, for operator commands.</summary>
    public string? OperatorId { get; init; }
    /// <summary>The override's TTL, for <see cref="TransitionKind.OverrideStarted"/>.</summary>
    public TimeSpan? OverrideTtl { get; init; }
    /// <summary>The recovery run involved, if any.</summary>
    public RecoveryRunId? RecoveryRun { get; init; }
    /// <summary>Free text: the operator's reason or the event's details.</summary>
    public string? Details { get; init; }
    /// <summary>The path of the scope whose state machine made the transition (<c>"venue-a/acct-1"</c>); null for the process.</summary>
    public string? Scope { get; init; }

    /// <summary>True when the mode became more severe.</summary>
    public bool IsEscalation => Restrictiveness(To) > Restrictiveness(From);

    /// <summary>How much a mode restricts trading: Normal &lt; Degraded &lt; Recovering &lt; SafeMode &lt; SafeModeDisconnected &lt; Halt.</summary>
    public static int Restrictiveness(SystemMode mode) => mode switch
    {
        SystemMode.Normal => 0,
        SystemMode.Degraded => 1,
        SystemMode.Recovering => 2,
        _ => (int)mode,
    };

    /// <inheritdoc />
    public override string ToString() =>
        $"{(Scope is null ? "" : "[" + Scope + "] ")}#{Sequence} {From}{(FromStage is { } fs ? "/" + fs : "")} -> {To}{(ToStage is { } ts ? "/" + ts : "")} ({Reason}, {Component}{(OperatorId is null ? "" : ", by " + OperatorId)})";
}
