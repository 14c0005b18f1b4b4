using System.Globalization;

namespace Degradation.State;

public sealed partial class DegradationStateMachine
{
    /// <summary>
    /// Explains why the system is not in Normal: an operator Halt or override, each active condition with its
    /// source, critical components that never reported or components gone silent, the remaining SafeMode dwell
    /// or stability time, or the recovery stage the run waits in. Empty holds in Normal.
    /// </summary>
    public ModeExplanation ExplainMode()
    {
        lock (_lock)
        {
            var now = _time.GetTimestamp();
            var holds = new List<ModeHold>();
            if (_mode == SystemMode.Normal)
                return new ModeExplanation { Mode = _mode, Stage = _stage, Sequence = CurrentSequence, Holds = holds };

            if (_operatorHalt is { } halt)
                holds.Add(new ModeHold(ModeHoldKind.OperatorHalt,
                    $"halted by operator '{halt.OperatorId}' since {Time(halt.Since)}: {halt.Reason}; only releasing the Halt ends it"));
            if (_override is { } forced)
            {
                var left = forced.ExpiresAt - _time.GetUtcNow();
                holds.Add(new ModeHold(ModeHoldKind.Override,
                    $"override to {WireNames.Of(forced.Mode)} by operator '{forced.OperatorId}' ({forced.Reason}) until {Time(forced.ExpiresAt)}, {Seconds(left)} left",
                    Remaining: left > TimeSpan.Zero ? left : TimeSpan.Zero));
            }

            foreach (var component in _components.Values.OrderBy(c => c.Id.Name, StringComparer.Ordinal))
            {
                foreach (var condition in component.Conditions.Values.OrderByDescending(c => c.Mode))
                {
                    holds.Add(new ModeHold(ModeHoldKind.Condition,
                        $"{component.Id}: {condition.Reason} → {WireNames.Of(condition.Mode)} (raised by {condition.Source} at {Time(condition.Since)})",
                        component.Id, condition.Reason, condition.Source));
                }
                if (component.IsSystem) continue;
                if (!component.HasReported && component.Critical)
                {
                    holds.Add(new ModeHold(ModeHoldKind.NeverReported,
                        $"critical component '{component.Id}' has never reported: register a probe for it (AddProbe) or report it " +
                        $"from the application (Heartbeat), or mark it optional (Degradation:Components:{component.Id}:Critical=false)",
                        component.Id));
                }
                else if (component.HasReported && component.Stale)
                {
                    var silent = _time.GetElapsedTime(component.LastReportTimestamp, now);
                    holds.Add(new ModeHold(ModeHoldKind.Stale,
                        $"{(component.Critical ? "critical" : "optional")} component '{component.Id}' silent for {Seconds(silent)}, past its status TTL of {Seconds(component.CurrentTtl)} (Unknown)",
                        component.Id));
                }
            }

            if (_mode is SystemMode.SafeMode or SystemMode.SafeModeDisconnected)
            {
                var left = _policy.MinSafeMode - _time.GetElapsedTime(_safeEnteredAt, now);
                if (left > TimeSpan.Zero)
                    holds.Add(new ModeHold(ModeHoldKind.SafeModeDwell,
                        $"{WireNames.Of(_mode)} lasts at least {Seconds(_policy.MinSafeMode)} (SafeMode:MinDwell): {Seconds(left)} left", Remaining: left));
            }
            else if (_mode == SystemMode.Degraded)
            {
                var left = _policy.RecoveryStable - _time.GetElapsedTime(_lastDisturbanceAt, now);
                if (left > TimeSpan.Zero)
                    holds.Add(new ModeHold(ModeHoldKind.Stability,
                        $"stability: {Seconds(left)} of quiet left before Normal (Recovery:StablePeriod = {Seconds(_policy.RecoveryStable)})", Remaining: left));
            }
            else if (_mode == SystemMode.Recovering && _stage is { } stage)
            {
                var run = _activeRun is { } id ? $"recovery run {id} ({WireNames.Of(_runTrigger)})" : "the recovery run";
                if (stage != RecoveryStage.Ready)
                {
                    holds.Add(new ModeHold(ModeHoldKind.RecoveryStage,
                        $"{run} waits in stage {WireNames.Of(stage)} for {Seconds(_time.GetElapsedTime(_stageEnteredAt, now))}: its recovery steps have not finished"));
                }
                else if (!_policy.Options.Recovery.AutoToNormal)
                {
                    holds.Add(new ModeHold(ModeHoldKind.AwaitingCompletion,
                        $"{run} is ready and waits for an operator to complete recovery (Recovery:AutoToNormal is off)"));
                }
                else
                {
                    var left = _policy.RecoveryStable - _time.GetElapsedTime(Math.Max(_stageEnteredAt, _lastDisturbanceAt), now);
                    if (left > TimeSpan.Zero)
                        holds.Add(new ModeHold(ModeHoldKind.Stability,
                            $"stability: {Seconds(left)} of quiet left before Normal (Recovery:StablePeriod = {Seconds(_policy.RecoveryStable)})", Remaining: left));
                }
            }
            return new ModeExplanation { Mode = _mode, Stage = _stage, Sequence = CurrentSequence, Holds = holds };
        }
    }

    private static string Seconds(TimeSpan span) =>
        string.Create(CultureInfo.InvariantCulture, $"{Math.Max(span.TotalSeconds, 0):0.#} s");

    private static string Time(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss'Z'", CultureInfo.InvariantCulture);
}
