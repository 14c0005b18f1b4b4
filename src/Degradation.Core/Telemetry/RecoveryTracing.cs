using System.Diagnostics;
using System.Globalization;

namespace Degradation.Telemetry;

/// <summary>
/// Turns a recovery orchestrator's progress into activities: one per run, a child per stage, with the steps, failures
/// and backoffs as events. Fed from <see cref="RecoveryOrchestrator.Progress"/>, which reports a run's progress in order.
/// </summary>
internal sealed class RecoveryTracing
{
    private readonly object _lock = new();
    private readonly Dictionary<long, (Activity Run, Activity? Stage)> _runs = [];

    public void OnProgress(RecoveryProgress progress)
    {
        if (!DegradationActivitySource.Source.HasListeners() && _runs.Count == 0) return;
        lock (_lock)
        {
            // Activities are started and stopped here explicitly: restore the ambient activity so the orchestrator's own
            // flow (and the user's steps) is not re-parented by a callback.
            var ambient = Activity.Current;
            try
            {
                Handle(progress);
            }
            finally
            {
                Activity.Current = ambient;
            }
        }
    }

    private void Handle(RecoveryProgress progress)
    {
        var key = progress.Run.Value;
        switch (progress.Kind)
        {
            case RecoveryProgressKind.RunStarted:
            {
                var run = DegradationActivitySource.Source.StartActivity("degradation.recovery.run", ActivityKind.Internal, parentContext: default);
                if (run is null) return;
                run.SetTag("degradation.recovery.run", progress.Run.ToString());
                run.SetTag("degradation.recovery.trigger", progress.Details);
                _runs[key] = (run, StartStage(run, progress));
                return;
            }
            case RecoveryProgressKind.StageAdvanced when _runs.TryGetValue(key, out var current):
                current.Stage?.Stop();
                _runs[key] = (current.Run, StartStage(current.Run, progress));
                return;
            case RecoveryProgressKind.RunFinished when _runs.Remove(key, out var finished):
            {
                var completed = progress.Details?.StartsWith(nameof(RecoveryRunStatus.Completed), StringComparison.Ordinal) == true;
                foreach (var activity in new[] { finished.Stage, finished.Run })
                {
                    if (activity is null) continue;
                    activity.SetTag("degradation.recovery.outcome", progress.Details);
                    activity.SetStatus(completed ? ActivityStatusCode.Ok : ActivityStatusCode.Error, completed ? null : progress.Details);
                    activity.Stop();
                }
                return;
            }
            case RecoveryProgressKind.StepStarted or RecoveryProgressKind.StepSucceeded or RecoveryProgressKind.StepFailed or RecoveryProgressKind.BackoffScheduled
                when _runs.TryGetValue(key, out var running) && running.Stage is { } stage:
            {
                var tags = new ActivityTagsCollection
                {
                    ["degradation.recovery.step"] = progress.Step,
                    ["degradation.recovery.attempt"] = progress.Attempt,
                };
                if (progress.Delay is { } delay) tags["degradation.recovery.delay_ms"] = delay.TotalMilliseconds;
                if (progress.Details is not null) tags["degradation.recovery.details"] = progress.Details;
                stage.AddEvent(new ActivityEvent(EventName(progress.Kind), tags: tags));
                return;
            }
        }
    }

    private static Activity? StartStage(Activity run, RecoveryProgress progress)
    {
        var stage = DegradationActivitySource.Source.StartActivity("degradation.recovery.stage", ActivityKind.Internal, run.Context);
        stage?.SetTag("degradation.recovery.run", progress.Run.ToString());
        stage?.SetTag("degradation.recovery.stage", WireNames.Of(progress.Stage));
        return stage;
    }

    private static string EventName(RecoveryProgressKind kind) => kind switch
    {
        RecoveryProgressKind.StepStarted => "step_started",
        RecoveryProgressKind.StepSucceeded => "step_succeeded",
        RecoveryProgressKind.StepFailed => "step_failed",
        RecoveryProgressKind.BackoffScheduled => "backoff_scheduled",
        _ => ((int)kind).ToString(CultureInfo.InvariantCulture),
    };
}
