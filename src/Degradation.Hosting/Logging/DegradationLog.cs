using Degradation.Audit;
using Degradation.KillSwitches;
using Degradation.State;
using Microsoft.Extensions.Logging;

namespace Degradation.Hosting;

/// <summary>Source-generated, structured log messages of the degradation system.</summary>
internal static partial class DegradationLog
{
    [LoggerMessage(EventId = 1001, Level = LogLevel.Warning,
        Message = "Degradation escalated {From} -> {To} because {Reason} on {Component} ({Details}); transition #{Sequence}")]
    public static partial void Escalated(ILogger logger, string from, string to, string reason, string component, string details, long sequence);

    [LoggerMessage(EventId = 1002, Level = LogLevel.Information,
        Message = "Degradation recovering {From} -> {To} because {Reason} on {Component} ({Details}); transition #{Sequence}")]
    public static partial void Recovering(ILogger logger, string from, string to, string reason, string component, string details, long sequence);

    [LoggerMessage(EventId = 1003, Level = LogLevel.Information,
        Message = "Recovery {Run} passed stage {FromStage} -> {ToStage}; transition #{Sequence}")]
    public static partial void RecoveryStage(ILogger logger, string run, string fromStage, string toStage, long sequence);

    [LoggerMessage(EventId = 1004, Level = LogLevel.Warning,
        Message = "Operator {OperatorId} forced {To} for {Ttl} ({Details}); transition #{Sequence}")]
    public static partial void OverrideStarted(ILogger logger, string? operatorId, SystemMode to, TimeSpan? ttl, string? details, long sequence);

    [LoggerMessage(EventId = 1005, Level = LogLevel.Warning,
        Message = "Override ended ({Reason}, operator {OperatorId}); mode re-derived {From} -> {To}; transition #{Sequence}")]
    public static partial void OverrideEnded(ILogger logger, string reason, string? operatorId, SystemMode from, SystemMode to, long sequence);

    [LoggerMessage(EventId = 1006, Level = LogLevel.Warning,
        Message = "Operator {OperatorId} released Halt ({Details}); mode {To}; transition #{Sequence}")]
    public static partial void HaltReleased(ILogger logger, string? operatorId, string? details, SystemMode to, long sequence);

    [LoggerMessage(EventId = 1007, Level = LogLevel.Information,
        Message = "Operator {OperatorId} command: {Reason} ({From} -> {To}); transition #{Sequence}")]
    public static partial void OperatorCommand(ILogger logger, string? operatorId, string reason, SystemMode from, SystemMode to, long sequence);

    [LoggerMessage(EventId = 1010, Level = LogLevel.Warning,
        Message = "Event bus dropped {Dropped} non-critical events since the last report ({Total} in total)")]
    public static partial void EventsDropped(ILogger logger, long dropped, long total);

    [LoggerMessage(EventId = 1011, Level = LogLevel.Error,
        Message = "Event handler failed for {Reason} on {Component}")]
    public static partial void HandlerFailed(ILogger logger, Exception exception, string reason, string component);

    [LoggerMessage(EventId = 1012, Level = LogLevel.Error,
        Message = "Transition observer failed for transition #{Sequence}")]
    public static partial void ObserverFailed(ILogger logger, Exception exception, long sequence);

    [LoggerMessage(EventId = 1020, Level = LogLevel.Information, Message = "Degradation system starting in {State}")]
    public static partial void Started(ILogger logger, string state);

    [LoggerMessage(EventId = 1040, Level = LogLevel.Warning,
        Message = "Critical component {Component} has no probe registered: nothing trades until the application reports it (Heartbeat). Register a probe (AddProbe) or mark it optional (Degradation:Components:{Component}:Critical=false)")]
    public static partial void CriticalWithoutProbe(ILogger logger, string component);

    [LoggerMessage(EventId = 1041, Level = LogLevel.Warning,
        Message = "Recovery has waited {Seconds:0} s on critical component {Component}, which has never reported; the system stays in {State}. Register a probe for it (AddProbe) or mark it optional (Degradation:Components:{Component}:Critical=false)")]
    public static partial void WaitingOnNeverReported(ILogger logger, double seconds, string component, string state);

    [LoggerMessage(EventId = 1021, Level = LogLevel.Information, Message = "Degradation system stopped in {Mode}; {Processed} events processed, {Dropped} dropped")]
    public static partial void Stopped(ILogger logger, SystemMode mode, long processed, long dropped);

    [LoggerMessage(EventId = 1040, Level = LogLevel.Error, Message = "Could not write dropped events to {Path}; retrying at the next report")]
    public static partial void DroppedEventFileFailed(ILogger logger, Exception exception, string path);

    [LoggerMessage(EventId = 1022, Level = LogLevel.Error, Message = "Degradation shutdown step {Step} failed")]
    public static partial void ShutdownStepFailed(ILogger logger, Exception exception, string step);

    [LoggerMessage(EventId = 1030, Level = LogLevel.Warning,
        Message = "The write buffer uses the in-memory write-ahead log (UseInMemoryWal): buffered writes are lost when the process stops or crashes; use UseFileWal for durable buffering")]
    public static partial void InMemoryWal(ILogger logger);

    [LoggerMessage(EventId = 1031, Level = LogLevel.Information,
        Message = "The write buffer uses the file write-ahead log in the default directory {Directory} (choose another with UseFileWal)")]
    public static partial void DefaultFileWal(ILogger logger, string directory);

    [LoggerMessage(EventId = 1023, Level = LogLevel.Warning,
        Message = "Degradation decision matrix loosened on purpose (AllowLoosening): {Change}; this reason now closes trading less than its built-in row")]
    public static partial void DecisionMatrixLoosened(ILogger logger, string change);

    [LoggerMessage(EventId = 1024, Level = LogLevel.Critical, Message = "Operator {OperatorId} halted trading (kill switch): {Details}; transition #{Sequence}")]
    public static partial void OperatorHalted(ILogger logger, string? operatorId, string? details, long sequence);

    [LoggerMessage(EventId = 1025, Level = LogLevel.Information, Message = "Kill-switch action {Name} for Halt #{HaltSequence}: {Status} {Details}")]
    public static partial void KillSwitchActionFinished(ILogger logger, string name, long haltSequence, KillSwitchActionStatus status, string? details);

    [LoggerMessage(EventId = 1026, Level = LogLevel.Error, Message = "Kill-switch action {Name} for Halt #{HaltSequence}: {Status} {Details}")]
    public static partial void KillSwitchActionFailed(ILogger logger, string name, long haltSequence, KillSwitchActionStatus status, string? details);

    [LoggerMessage(EventId = 1013, Level = LogLevel.Error, Message = "Audit store failed or refused the record {Action} ({Kind}); it is not in that store")]
    public static partial void AuditRecordFailed(ILogger logger, Exception exception, string action, Degradation.Audit.AuditEntryKind kind);

    /// <summary>Logs one transition at the level its direction deserves (Warning when escalating, Information when recovering).</summary>
    public static void Transition(ILogger logger, ModeTransition t)
    {
        switch (t.Kind)
        {
            case TransitionKind.StageChange:
                RecoveryStage(logger, t.RecoveryRun?.ToString() ?? "-", Stage(t.FromStage), Stage(t.ToStage), t.Sequence);
                break;
            case TransitionKind.OverrideStarted:
                OverrideStarted(logger, t.OperatorId, t.To, t.OverrideTtl, t.Details, t.Sequence);
                break;
            case TransitionKind.OverrideEnded:
                OverrideEnded(logger, t.Reason.Value, t.OperatorId, t.From, t.To, t.Sequence);
                break;
            case TransitionKind.HaltReleased:
                HaltReleased(logger, t.OperatorId, t.Details, t.To, t.Sequence);
                break;
            case TransitionKind.OperatorHalt:
                OperatorHalted(logger, t.OperatorId, t.Details, t.Sequence);
                break;
            case TransitionKind.OperatorCommand:
                OperatorCommand(logger, t.OperatorId, t.Reason.Value, t.From, t.To, t.Sequence);
                break;
            default:
                if (t.IsEscalation) Escalated(logger, State(t.From, t.FromStage), State(t.To, t.ToStage), t.Reason.Value, t.Component.Name, t.Details ?? "no details", t.Sequence);
                else Recovering(logger, State(t.From, t.FromStage), State(t.To, t.ToStage), t.Reason.Value, t.Component.Name, t.Details ?? "no details", t.Sequence);
                break;
        }
    }

    /// <summary>A mode with its stage in wire names, e.g. <c>recovering/connect_broker</c> or <c>safe_mode</c>.</summary>
    public static string State(SystemMode mode, RecoveryStage? stage) =>
        stage is { } s ? WireNames.Of(mode) + "/" + WireNames.Of(s) : WireNames.Of(mode);

    private static string Stage(RecoveryStage? stage) => stage is { } s ? WireNames.Of(s) : "none";
}
