using System.Globalization;
using Xunit.Abstractions;

namespace Degradation.Tests.State;

/// <summary>
/// Drives the state machine with a long random mix of events (direct and through the bus), operator commands,
/// stage advances and clock advances, and checks the state machine's invariants after every single step; above
/// all that no operator command made without acknowledgement ever leaves the gate less strict than the active
/// conditions require (and an acknowledged override never less strict than the conditions it did not acknowledge).
/// The seed is fixed and printed; set DEGRADATION_TEST_SEED to replay another one.
/// </summary>
public class RandomizedInvariantTests(ITestOutputHelper output)
{
    private const int DefaultSeed = 20_260_126;
    private const int Steps = 110_000;

    private static readonly ComponentId News = new("news");             // optional, user-registered
    private static readonly ComponentId OrderBook = new("orderbook-ws"); // critical, user-registered
    private static readonly ReasonCode OrderBookGap = new("orderbook.gap");
    private static readonly ReasonCode OrderBookCrossed = new("orderbook.crossed");
    private static readonly ReasonCode Unmapped = new("vendor.weird_state");

    private static readonly ComponentId[] Components =
        [ComponentId.Broker, ComponentId.MarketData, ComponentId.Risk, ComponentId.Db, ComponentId.Alerts, ComponentId.System, News, OrderBook];
    private static readonly ComponentId[] Critical = [ComponentId.Broker, ComponentId.MarketData, ComponentId.Risk, OrderBook];

    // (reason, weight): milder reasons are common, Halt reasons rare, so the run visits every mode and leaves it again.
    private static readonly (ReasonCode Reason, int Weight)[] FailureReasons =
    [
        (ReasonCode.MarketDataQualityLow, 12), (ReasonCode.DbWriteFailBuffered, 10), (ReasonCode.AlertsChannelDown, 10), (Unmapped, 6),
        (ReasonCode.MarketDataStale, 6), (ReasonCode.RiskTimeout, 5), (ReasonCode.DbBufferOverflow, 4), (OrderBookGap, 4),
        (ReasonCode.BrokerDisconnect, 5), (OrderBookCrossed, 1),
        (ReasonCode.BrokerMismatch, 1), (ReasonCode.RiskBreachHard, 1), (ReasonCode.PositionUnknown, 1),
    ];

    // Degraded-level reasons only: what a calm phase sees.
    private static readonly (ReasonCode Reason, int Weight)[] MildReasons =
        [(ReasonCode.MarketDataQualityLow, 1), (ReasonCode.DbWriteFailBuffered, 1), (ReasonCode.AlertsChannelDown, 1)];

    private enum StepKind
    {
        ApplyEvent, PublishEvent, PublishBurst, ProcessPending, HeartbeatAll, Advance, Tick, AdvanceStage, BogusStage,
        Force, ReleaseOverride, ReleaseHalt, StartRecovery, CompleteRecovery, FailRecovery, Halt,
    }

    // Storms fail things, calm phases let the system heal and reach Normal, so both directions get exercised.
    private static readonly (StepKind Kind, int Weight)[] StormWeights =
    [
        (StepKind.ApplyEvent, 300), (StepKind.PublishEvent, 120), (StepKind.PublishBurst, 8), (StepKind.ProcessPending, 40),
        (StepKind.HeartbeatAll, 90), (StepKind.Advance, 170), (StepKind.Tick, 40), (StepKind.AdvanceStage, 90),
        (StepKind.BogusStage, 15), (StepKind.Force, 12), (StepKind.ReleaseOverride, 15), (StepKind.ReleaseHalt, 25),
        (StepKind.StartRecovery, 15), (StepKind.CompleteRecovery, 15), (StepKind.FailRecovery, 3), (StepKind.Halt, 2),
    ];

    private static readonly (StepKind Kind, int Weight)[] CalmWeights =
    [
        (StepKind.ApplyEvent, 150), (StepKind.PublishEvent, 60), (StepKind.PublishBurst, 2), (StepKind.ProcessPending, 60),
        (StepKind.HeartbeatAll, 150), (StepKind.Advance, 250), (StepKind.Tick, 40), (StepKind.AdvanceStage, 150),
        (StepKind.BogusStage, 10), (StepKind.Force, 3), (StepKind.ReleaseOverride, 40), (StepKind.ReleaseHalt, 40),
        (StepKind.StartRecovery, 3), (StepKind.CompleteRecovery, 20), (StepKind.FailRecovery, 1), (StepKind.Halt, 1),
    ];

    [Fact]
    public void Invariants_hold_after_every_step_of_a_long_random_run()
    {
        var seed = int.TryParse(Environment.GetEnvironmentVariable("DEGRADATION_TEST_SEED"), NumberStyles.Integer, CultureInfo.InvariantCulture, out var s) ? s : DefaultSeed;
        output.WriteLine($"Random seed: {seed} (replay with DEGRADATION_TEST_SEED={seed})");
        using var run = new InvariantRun(seed);
        run.Execute(Steps);
        foreach (var line in run.Summary()) output.WriteLine(line);
        run.AssertCoverage();
    }

    internal sealed class InvariantRun : IDisposable
    {
        private readonly Choices _random;
        private readonly string _seed;
        private readonly SystemDriver _driver;
        private readonly Queue<string> _recent = new();
        private readonly Dictionary<string, int> _stats = [];
        private readonly HashSet<SystemMode> _modesVisited = [];
        private readonly TimeSpan _minSafe;
        private readonly TimeSpan _stable;
        private long _lastSequence;
        private long _safeEnteredAt;
        private long _readyEnteredAt;
        private long _lastConditionChange;
        private string _conditionSignature = "";
        private int _step;
        private IReadOnlyList<ComponentStatus> _components = [];
        private bool _calm;
        private int _phaseEndsAt;

        public InvariantRun(int seed) : this(Choices.From(new Random(seed)), seed.ToString(CultureInfo.InvariantCulture))
        {
        }

        /// <summary>A run whose every choice comes from <paramref name="choices"/>; <paramref name="seed"/> names it in failures.</summary>
        public InvariantRun(Choices choices, string seed)
        {
            _seed = seed;
            _random = choices;
            _driver = SystemDriver.Create(o =>
            {
                o.Status.ComponentTtl = TimeSpan.FromSeconds(30);
                o.EventBus.QueueSize = 32;
                o.Components[News.Name] = new ComponentOptions { Critical = false };
                o.Components[OrderBook.Name] = new ComponentOptions { Critical = true };
                o.DecisionMatrix[OrderBookGap.Value] = SystemMode.SafeMode;
                o.DecisionMatrix[OrderBookCrossed.Value] = SystemMode.SafeMode;
                o.MustDeliverReasons.Add(OrderBookCrossed.Value);
            });
            _minSafe = _driver.MinSafeMode;
            _stable = _driver.RecoveryStable;
            _lastSequence = _driver.Machine.TransitionCount;
            _safeEnteredAt = long.MinValue;
            _readyEnteredAt = long.MaxValue;
            _lastConditionChange = _driver.Time.GetTimestamp();
            _components = Machine.GetComponents();
            _conditionSignature = ConditionSignature();
        }

        /// <summary>Disposes the run's system.</summary>
        public void Dispose() => _driver.Dispose();

        private DegradationStateMachine Machine => _driver.Machine;

        public void Execute(int steps)
        {
            for (_step = 1; _step <= steps && !_random.Exhausted; _step++)
            {
                if (_step >= _phaseEndsAt)
                {
                    _calm = _random.Next(100) < 65;
                    _phaseEndsAt = _step + _random.Next(200, 1_500);
                }
                var before = Capture();
                var kind = Pick(_calm ? CalmWeights : StormWeights);
                var description = Perform(kind);
                Remember($"#{_step} {kind}: {description} -> {_driver.Mode}/{_driver.Stage}");
                Check(kind, before, description);
            }
        }

        // ---- steps ------------------------------------------------------------------------------

        private string Perform(StepKind kind)
        {
            switch (kind)
            {
                case StepKind.ApplyEvent:
                {
                    var e = RandomEvent(forBus: false);
                    Machine.Apply(e);
                    return e.ToString();
                }
                case StepKind.PublishEvent:
                {
                    var e = RandomEvent(forBus: true);
                    var kept = _driver.Bus.Publish(e);
                    return $"{e} kept={kept}";
                }
                case StepKind.PublishBurst:
                {
                    var count = _random.Next(10, 60);
                    var kept = 0;
                    for (var i = 0; i < count; i++) kept += _driver.Bus.Publish(RandomEvent(forBus: true)) ? 1 : 0;
                    return $"burst of {count}, kept {kept}";
                }
                case StepKind.ProcessPending:
                    return $"processed {_driver.Bus.ProcessPending()}";
                case StepKind.HeartbeatAll:
                    foreach (var c in Critical) if (_random.Next(10) != 0) _driver.Heartbeat(c);
                    return "heartbeats";
                case StepKind.Advance:
                {
                    var roll = _random.Next(100);
                    var ms = roll < 60 ? _random.Next(0, 2_000) : roll < 90 ? _random.Next(2_000, 15_000) : _random.Next(15_000, 45_000);
                    _driver.Advance(TimeSpan.FromMilliseconds(ms));
                    return $"+{ms} ms";
                }
                case StepKind.Tick:
                    _driver.Tick();
                    return "tick";
                case StepKind.AdvanceStage:
                {
                    if (Machine.ActiveRecoveryRun is not { } run || _driver.Stage is not { } stage || stage == RecoveryStage.Ready) return "no stage to advance";
                    return $"{run} -> {stage + 1}: {Machine.TryAdvanceStage(run, stage + 1)}";
                }
                case StepKind.BogusStage:
                {
                    var run = new RecoveryRunId(_random.Next(0, 4) == 0 ? 0 : (Machine.ActiveRecoveryRun?.Value ?? 1) - _random.Next(1, 3));
                    var stage = (RecoveryStage)_random.Next(0, 4);
                    var advanced = Machine.TryAdvanceStage(run, stage);
                    if (advanced && Machine.ActiveRecoveryRun != run) Fail($"a stale run {run} advanced the stage");
                    return $"{run} -> {stage}: {advanced}";
                }
                case StepKind.Force:
                {
                    var mode = (SystemMode)_random.Next(0, 5); // Halt has its own step
                    var ttl = TimeSpan.FromSeconds(_random.Next(1, 240));
                    long? expected = _random.Next(4) == 0 ? Machine.CurrentSequence - _random.Next(0, 2) : null;
                    var result = Machine.ForceMode(mode, ttl, "fuzz-operator", "fuzz", expected);
                    Count($"force {result.Refusal}");
                    // Sometimes the operator reads the refusal and acknowledges exactly what stands in the way.
                    if (result.Refusal == OperatorRefusal.AcknowledgementRequired && _random.Next(3) == 0)
                    {
                        result = Machine.ForceMode(mode, ttl, "fuzz-operator", "fuzz", acknowledge: [.. result.ActiveConditions.Select(c => c.Reason).Distinct()]);
                        Count($"acknowledged force {result.Refusal}");
                    }
                    else if (result.Refusal == OperatorRefusal.AcknowledgementRequired && _random.Next(3) == 0)
                    {
                        // ... or acknowledges something else: always refused.
                        var wrong = Machine.ForceMode(mode, ttl, "fuzz-operator", "fuzz", acknowledge: [ReasonCode.AlertsChannelDown, Unmapped]);
                        if (wrong.Accepted && !result.ActiveConditions.Select(c => c.Reason).ToHashSet().SetEquals([ReasonCode.AlertsChannelDown, Unmapped]))
                            Fail($"a wrong acknowledgement was accepted: {wrong}");
                    }
                    return $"force {mode} for {ttl.TotalSeconds} s: {result}";
                }
                case StepKind.ReleaseOverride:
                    return Try(() => Machine.ReleaseOverride("fuzz-operator", "fuzz"));
                case StepKind.ReleaseHalt:
                {
                    var result = Machine.ReleaseHalt("fuzz-operator", "fuzz");
                    if (result.Refusal == OperatorRefusal.AcknowledgementRequired && _random.Next(10) < 7)
                        result = Machine.ReleaseHalt("fuzz-operator", "fuzz", acknowledge: [.. result.ActiveConditions.Select(c => c.Reason).Distinct()]);
                    Count($"release halt {result.Refusal}");
                    return result.ToString();
                }
                case StepKind.Halt:
                    return Machine.Halt("fuzz-operator", "fuzz").ToString();
                case StepKind.StartRecovery:
                    return Try(() => Machine.StartRecovery("fuzz-operator", "fuzz"));
                case StepKind.CompleteRecovery:
                    return Try(() => Machine.CompleteRecovery("fuzz-operator", "fuzz"));
                case StepKind.FailRecovery:
                    return Machine.ActiveRecoveryRun is { } active ? $"fail {active}: {Machine.FailRecovery(active, "fuzz")}" : "no run";
                default:
                    throw new ArgumentOutOfRangeException(nameof(kind));
            }
        }

        private static string Try(Func<object> command)
        {
            try
            {
                return command()?.ToString() ?? "ok";
            }
            catch (InvalidOperationException ex)
            {
                return "refused: " + ex.Message;
            }
        }

        // recovery.complete goes straight to the state machine only, so the check knows which step completed a run.
        private SystemEvent RandomEvent(bool forBus)
        {
            var component = Components[_random.Next(Components.Length)];
            TimeSpan? ttl = _random.Next(8) == 0 ? TimeSpan.FromSeconds(_random.Next(1, 20)) : null;
            var roll = _random.Next(100);
            if (_calm) return CalmEvent(component, ttl, roll, forBus);
            if (roll < 30) return _driver.Event(EventType.Heartbeat, component, default, ttl);
            if (roll < 50) return _driver.Event(EventType.Recovered, component, default, ttl);
            if (roll < 53) return _driver.Event(EventType.Recovered, ComponentId.Broker, ReasonCode.BrokerReconnected, ttl);
            if (roll < 56) return _driver.Event(EventType.Recovered, ComponentId.System, ReasonCode.AllHealthy);
            if (roll < 59) return forBus ? _driver.Event(EventType.Heartbeat, component) : _driver.Event(EventType.Recovered, ComponentId.System, ReasonCode.RecoveryComplete);
            if (roll < 60) return _driver.Event(EventType.Recovered, ComponentId.System, ReasonCode.ColdStart);
            var reason = Pick(FailureReasons);
            var type = roll < 85 ? EventType.FailCritical : roll < 93 ? EventType.FailSupport : EventType.QualityDegraded;
            return _driver.Event(type, component, reason, ttl);
        }

        private SystemEvent CalmEvent(ComponentId component, TimeSpan? ttl, int roll, bool forBus)
        {
            if (roll < 40) return _driver.Event(EventType.Heartbeat, component, default, ttl);
            if (roll < 70) return _driver.Event(EventType.Recovered, component, default, ttl);
            if (roll < 76) return _driver.Event(EventType.Recovered, ComponentId.System, ReasonCode.AllHealthy);
            if (roll < 79 && !forBus) return _driver.Event(EventType.Recovered, ComponentId.System, ReasonCode.RecoveryComplete);
            if (roll < 96) return _driver.Event(EventType.Heartbeat, component, default, ttl);
            return _driver.Event(EventType.FailSupport, component, Pick(MildReasons), ttl);
        }

        // ---- invariants -------------------------------------------------------------------------

        private readonly record struct State(SystemMode Mode, RecoveryStage? Stage, OverrideInfo? Override, long Sequence);

        private State Capture() => new(_driver.Mode, _driver.Stage, Machine.Override, _driver.Gate.Snapshot.Sequence);

        private void Check(StepKind kind, State before, string description)
        {
            var now = _driver.Time.GetTimestamp();
            var snapshot = _driver.Gate.Snapshot;
            var mode = snapshot.Mode;
            _modesVisited.Add(mode);

            // The gate never allows Open/Send/Amend outside Normal/Degraded, and always matches the matrix.
            foreach (var action in new[] { ActionType.Open, ActionType.Send, ActionType.Amend })
                if (_driver.Gate.Allows(action) && mode is not (SystemMode.Normal or SystemMode.Degraded))
                    Fail($"{action} allowed in {mode}");
            if (snapshot.AllowedMask != PermissionMatrix.AllowedMask(mode, snapshot.Stage)) Fail("gate mask differs from the matrix");
            if ((snapshot.Stage is null) == (mode == SystemMode.Recovering)) Fail($"stage {snapshot.Stage} in {mode}");

            // Condition changes (the model's view of "disturbance") for the stability checks below.
            _components = Machine.GetComponents();
            var signature = ConditionSignature();
            if (signature != _conditionSignature)
            {
                Remember($"   conditions: [{_conditionSignature}] -> [{signature}]");
                _conditionSignature = signature;
                _lastConditionChange = now;
            }

            // The mode is never below the most severe active condition, unless an override acknowledged it; and
            // never below the most severe condition that the active override did not acknowledge.
            var derived = Machine.DerivedMode;
            var active = Machine.Override;
            if ((active is null || active.Acknowledged.Count == 0) && ModeTransition.Restrictiveness(mode) < ModeTransition.Restrictiveness(derived))
                Fail($"mode {mode} is below the active conditions' {derived} (override: {active?.Mode.ToString() ?? "none"}, not acknowledged)");
            if (active is not null)
            {
                foreach (var c in Machine.GetConditions())
                {
                    var acknowledged = active.Acknowledged.Any(a => a.Component == c.Component && a.Reason == c.Reason && a.Source == c.Source);
                    if (!acknowledged && ModeTransition.Restrictiveness(mode) < ModeTransition.Restrictiveness(c.Mode))
                        Fail($"mode {mode} is below the unacknowledged condition {c}");
                }
                Count(active.Acknowledged.Count == 0 ? "step under a tightening override" : "step under an acknowledged override");
            }

            // Every mode change is in the history, in sequence, chained, and the gate shows the last one.
            var newCount = Machine.TransitionCount - _lastSequence;
            if (snapshot.Sequence != Machine.TransitionCount) Fail($"gate sequence {snapshot.Sequence} != transition count {Machine.TransitionCount}");
            if ((before.Mode != mode || before.Stage != snapshot.Stage) && newCount == 0) Fail("mode changed without a transition record");
            List<ModeTransition> transitions = newCount == 0 ? [] : [.. Machine.GetHistory(0, (int)newCount).Reverse()];
            if (transitions.Count != newCount) Fail($"history lost transitions ({transitions.Count} of {newCount})");
            var previousTo = (before.Mode, before.Stage);
            foreach (var t in transitions)
            {
                if (t.Sequence != ++_lastSequence) Fail($"sequence {t.Sequence}, expected {_lastSequence}");
                if ((t.From, t.FromStage) != previousTo) Fail($"transition {t} does not start where the previous ended ({previousTo})");
                previousTo = (t.To, t.ToStage);
                CheckTransition(kind, before, t, derived, description);
                Count($"{t.Kind} {t.From}->{t.To}");
            }
            if (transitions.Count > 0 && (transitions[^1].To != mode || transitions[^1].ToStage != snapshot.Stage))
                Fail("the gate does not show the last transition");

            // Halt is left only by a Halt release: never by a force, an override's end or an event.
            if (before.Mode == SystemMode.Halt && mode != SystemMode.Halt)
            {
                if (kind != StepKind.ReleaseHalt) Fail($"Halt left by {kind}");
                Count("halt left");
            }
        }

        private void CheckTransition(StepKind kind, State before, ModeTransition t, SystemMode derived, string description)
        {
            var safe = (SystemMode m) => m is SystemMode.SafeMode or SystemMode.SafeModeDisconnected;
            if (t.Kind == TransitionKind.ModeChange)
            {
                // Leaving SafeMode / SafeModeDisconnected: only into Recovering (or another closed mode), after the dwell.
                if (safe(t.From) && !safe(t.To))
                {
                    if (t.To is SystemMode.Normal or SystemMode.Degraded) Fail($"{t} skipped Recovering");
                    if (t.To == SystemMode.Recovering && t.Timestamp - _safeEnteredAt < _minSafe.Ticks) Fail($"{t} left before SafeMode:MinDwell");
                }
                if (t.From == SystemMode.Degraded && t.To == SystemMode.Normal)
                {
                    if (t.Timestamp - _lastConditionChange < _stable.Ticks) Fail($"{t} before Recovery:StablePeriod of quiet");
                    if (derived != SystemMode.Normal) Fail($"{t} with {derived} conditions active");
                    if (CriticalUnknown()) Fail($"{t} with a critical component Unknown");
                    Count("degraded->normal");
                }
            }
            if (t.From == SystemMode.Recovering && t.To is SystemMode.Normal or SystemMode.Degraded
                && t.Kind is TransitionKind.ModeChange or TransitionKind.OperatorCommand)
            {
                if (t.FromStage != RecoveryStage.Ready) Fail($"{t} completed a run before Ready");
                if (CriticalUnknown()) Fail($"{t} with a critical component Unknown");
                if ((t.To == SystemMode.Degraded) != (derived == SystemMode.Degraded)) Fail($"{t} landed wrong for {derived} conditions");
                var explicitCompletion = t.Kind == TransitionKind.OperatorCommand || description.Contains(ReasonCode.RecoveryComplete.Value, StringComparison.Ordinal);
                if (!explicitCompletion && (t.Timestamp - _readyEnteredAt < _stable.Ticks || t.Timestamp - _lastConditionChange < _stable.Ticks))
                    Fail($"{t} before Recovery:StablePeriod of quiet in Ready");
                Count("run completed");
            }
            if (t.To == SystemMode.Recovering && t.ToStage == RecoveryStage.Ready && t.FromStage != RecoveryStage.Ready) _readyEnteredAt = t.Timestamp;
            if (safe(t.To) && !safe(t.From)) _safeEnteredAt = t.Timestamp;
            if (t.From == SystemMode.Halt && t.To != SystemMode.Halt
                && t.Kind != TransitionKind.HaltReleased)
                Fail($"{t} left Halt other than by a Halt release");
            if (t.Kind == TransitionKind.HaltReleased && t.To != SystemMode.Recovering) Fail($"{t}: a Halt release leads to Recovering");
            if (t.Kind == TransitionKind.OverrideEnded && before.Override is null && kind != StepKind.Force) Fail($"{t} ended an override that did not exist");
        }

        private bool CriticalUnknown() => _components.Any(c => c.Critical && c.Level == ComponentLevel.Unknown);

        // Active conditions plus Unknown critical components, in a canonical order.
        private string ConditionSignature()
        {
            var parts = new List<string>();
            foreach (var c in _components)
            {
                foreach (var x in c.Conditions) parts.Add(c.Id.Name + ":" + x.Reason.Value);
                if (c.Critical && c.Level == ComponentLevel.Unknown) parts.Add(c.Id.Name + ":?");
            }
            parts.Sort(StringComparer.Ordinal);
            return string.Join('|', parts);
        }

        // ---- bookkeeping ------------------------------------------------------------------------

        private T Pick<T>((T Item, int Weight)[] weighted)
        {
            var total = 0;
            foreach (var (_, w) in weighted) total += w;
            var roll = _random.Next(total);
            foreach (var (item, w) in weighted)
            {
                if (roll < w) return item;
                roll -= w;
            }
            throw new InvalidOperationException("unreachable");
        }

        private void Remember(string line)
        {
            _recent.Enqueue(line);
            if (_recent.Count > 25) _recent.Dequeue();
        }

        private void Count(string key) => _stats[key] = _stats.GetValueOrDefault(key) + 1;

        private void Fail(string message) =>
            throw new Xunit.Sdk.XunitException($"Invariant broken at step {_step} (seed {_seed}): {message}{Environment.NewLine}Last steps:{Environment.NewLine}{string.Join(Environment.NewLine, _recent)}");

        public IEnumerable<string> Summary()
        {
            yield return $"{_step - 1} steps, {Machine.TransitionCount} transitions, {Machine.EventsApplied} events applied, bus dropped {_driver.Bus.DroppedCount}, must-deliver {_driver.Bus.MustDeliverCount}";
            yield return "Modes visited: " + string.Join(", ", _modesVisited.Order());
            foreach (var (key, value) in _stats.OrderByDescending(p => p.Value)) yield return $"  {value,7} {key}";
        }

        public void AssertCoverage()
        {
            // The run must exercise what it checks, or the invariants above prove nothing.
            Assert.Equal(Enum.GetValues<SystemMode>().Order(), _modesVisited.Order());
            foreach (var key in new[] { "degraded->normal", "run completed", "halt left", "step under an acknowledged override", "force AcknowledgementRequired", "force SequenceMismatch", "release halt AcknowledgementRequired" })
                Assert.True(_stats.GetValueOrDefault(key) >= 20, $"only {_stats.GetValueOrDefault(key)} '{key}'");
            Assert.Contains(_stats.Keys, k => k.StartsWith("ModeChange SafeMode->Recovering", StringComparison.Ordinal));
            Assert.Contains(_stats.Keys, k => k.StartsWith("ModeChange SafeModeDisconnected->Recovering", StringComparison.Ordinal));
            Assert.Contains(_stats.Keys, k => k.StartsWith("OverrideEnded", StringComparison.Ordinal));
            Assert.Contains(_stats.Keys, k => k.StartsWith("HaltReleased", StringComparison.Ordinal));
            Assert.True(_driver.Bus.DroppedCount > 0, "the bus never filled up");
        }
    }
}
