using Microsoft.Extensions.Logging;

namespace Degradation.Hosting;

/// <summary>Source-generated, structured log messages of the degradation system.</summary>
internal static partial class DegradationLog
{
    [LoggerMessage(EventId = 1001, Level = LogLevel.Warning,
        Message = "Degradation escalated {From} -> {To} (stage {ToStage}) because {Reason} on {Component}; transition #{Sequence}")]
    public static partial void Escalated(ILogger logger, SystemMode from, SystemMode to, RecoveryStage? toStage, string reason, string component, long sequence);

    [LoggerMessage(EventId = 1002, Level = LogLevel.Information,
        Message = "Degradation recovering {From} -> {To} (stage {ToStage}) because {Reason} on {Component}; transition #{Sequence}")]
    public static partial void Recovering(ILogger logger, SystemMode from, SystemMode to, RecoveryStage? toStage, string reason, string component, long sequence);

    [LoggerMessage(EventId = 1003, Level = LogLevel.Information,
        Message = "Recovery {Run} passed stage {FromStage} -> {ToStage}; transition #{Sequence}")]
    public static partial void RecoveryStage(ILogger logger, string? run, RecoveryStage? fromStage, RecoveryStage? toStage, long sequence);

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

    [LoggerMessage(EventId = 1020, Level = LogLevel.Information, Message = "Degradation system started in {Mode} (stage {Stage})")]
    public static partial void Started(ILogger logger, SystemMode mode, RecoveryStage? stage);

    [LoggerMessage(EventId = 1021, Level = LogLevel.Information, Message = "Degradation system stopped in {Mode}; {Processed} events processed, {Dropped} dropped")]
    public static partial void Stopped(ILogger logger, SystemMode mode, long processed, long dropped);

    [LoggerMessage(EventId = 1040, Level = LogLevel.Error, Message = "Could not write dropped events to {Path}; retrying at the next report")]
    public static partial void DroppedEventFileFailed(ILogger logger, Exception exception, string path);

    [LoggerMessage(EventId = 1022, Level = LogLevel.Error, Message = "Degradation shutdown step {Step} failed")]
    public static partial void ShutdownStepFailed(ILogger logger, Exception exception, string step);

    /// <summary>Logs one transition at the level its direction deserves (Warning when escalating, Information when recovering).</summary>
    public static void Transition(ILogger logger, ModeTransition t)
    {
        switch (t.Kind)
        {
            case TransitionKind.StageChange:
                RecoveryStage(logger, t.RecoveryRun?.ToString(), t.FromStage, t.ToStage, t.Sequence);
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
            case TransitionKind.OperatorCommand:
                OperatorCommand(logger, t.OperatorId, t.Reason.Value, t.From, t.To, t.Sequence);
                break;
            default:
                if (t.IsEscalation) Escalated(logger, t.From, t.To, t.ToStage, t.Reason.Value, t.Component.Name, t.Sequence);
                else Recovering(logger, t.From, t.To, t.ToStage, t.Reason.Value, t.Component.Name, t.Sequence);
                break;
        }
    }
}
