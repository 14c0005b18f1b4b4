using System.Diagnostics;

namespace Degradation.Telemetry;

/// <summary>
/// Records every mode transition as a <c>degradation.transition</c> activity dated to the transition itself (it is
/// created later, on the observer loop, off the state machine's path).
/// </summary>
internal static class TransitionTracing
{
    public static void Record(ModeTransition t)
    {
        if (!DegradationActivitySource.Source.HasListeners()) return;
        var ambient = Activity.Current;
        try
        {
            using var activity = DegradationActivitySource.Source.StartActivity(
                "degradation.transition", ActivityKind.Internal, parentContext: default, startTime: t.WallTime);
            if (activity is null) return;
            activity.SetTag("degradation.sequence", t.Sequence);
            activity.SetTag("degradation.kind", WireNames.Of(t.Kind));
            activity.SetTag("degradation.from", WireNames.Of(t.From));
            activity.SetTag("degradation.to", WireNames.Of(t.To));
            if (t.FromStage is { } fromStage) activity.SetTag("degradation.from_stage", WireNames.Of(fromStage));
            if (t.ToStage is { } toStage) activity.SetTag("degradation.to_stage", WireNames.Of(toStage));
            activity.SetTag("degradation.reason", t.Reason.Value);
            activity.SetTag("degradation.component", t.Component.Name);
            if (t.OperatorId is not null) activity.SetTag("degradation.operator", t.OperatorId);
            if (t.RecoveryRun is { } run) activity.SetTag("degradation.recovery.run", run.ToString());
            if (t.Details is not null) activity.SetTag("degradation.details", t.Details);
            activity.SetEndTime(t.WallTime.UtcDateTime);
        }
        finally
        {
            Activity.Current = ambient;
        }
    }
}
