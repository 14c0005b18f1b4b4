using Microsoft.Extensions.Time.Testing;
using Degradation.Testing;
using Degradation.Tests.Recovery;

namespace Degradation.Tests.Scenarios;

/// <summary>
/// The outage setting, on a manual clock: a fake broker, probes for the broker, market data and risk, a recovery
/// orchestrator with reconnect / reconcile / cache invalidation / ordered replay / risk check steps, a position cache
/// and a trading loop that asks the gate before every order. The bus is not started: each <see cref="Step"/> advances
/// the clock (probe rounds run inside), processes the bus, ticks the state machine and runs one trading iteration.
/// </summary>
internal sealed class OutageHarness : IAsyncDisposable
{
    public static readonly TimeSpan ProbeInterval = TimeSpan.FromSeconds(1);
    public static readonly TimeSpan StepSize = TimeSpan.FromMilliseconds(100);

    public OutageHarness(Action<DegradationOptions>? configure = null)
    {
        _start = Time.GetTimestamp();
        System = TestSystems.Create(Time, o =>
        {
            o.Probes.FailThresholdCount = 3;
            o.Probes.FailThresholdDuration = TimeSpan.FromSeconds(5);
            o.Recovery.StablePeriod = TimeSpan.FromSeconds(10);
            o.SafeMode.MinDwell = TimeSpan.FromSeconds(30);
            configure?.Invoke(o);
        });
        Positions = StalenessCache<string, decimal>.ForPositions(System.Options, Time);
        Probes = new ProbeRunner(System);
        var settings = new ProbeSettings { Interval = ProbeInterval, UnhealthyInterval = ProbeInterval / 2 };
        Probes.Add(ComponentId.Broker, settings, _ => Broker.Up ? ValueTask.FromResult(ProbeResult.Healthy()) : throw new IOException("connection refused"));
        Probes.Add(ComponentId.MarketData, settings, _ => ValueTask.FromResult(ProbeResult.Healthy()));
        Probes.Add(ComponentId.Risk, settings, _ => ValueTask.FromResult(ProbeResult.Healthy()));

        Recovery = new RecoveryOrchestrator(System);
        Progress = new ProgressRecorder(Recovery);
        AddStep(RecoveryStage.ConnectBroker, "reconnect", () =>
        {
            if (Broker.RejectLogin) return RecoveryStepResult.Failure("login rejected");
            Broker.Reconnects++;
            return RecoveryStepResult.Success();
        });
        Recovery.AddStep(RecoveryStage.ConnectBroker, new Logged(this, new PositionReconciliationStep(
            _ => ValueTask.FromResult<IReadOnlyDictionary<string, decimal>>(new Dictionary<string, decimal>(LocalPositions)),
            _ => ValueTask.FromResult<IReadOnlyDictionary<string, decimal>>(new Dictionary<string, decimal>(Broker.Positions)), name: "reconcile")));
        Recovery.AddStep(RecoveryStage.CatchupMarketData, new Logged(this, new CacheInvalidationStep(Positions)));
        AddStep(RecoveryStage.VerifyRisk, "replay", () =>
        {
            // A simple ordered replay: oldest first, each entry once.
            while (WriteBuffer.TryDequeue(out var write)) Replayed.Add(write);
            return RecoveryStepResult.Success();
        });
        AddStep(RecoveryStage.VerifyRisk, "verify risk", () => RecoveryStepResult.Success());
    }

    public FakeTimeProvider Time { get; } = new(FakeTimeProviderExtensions.TestStart);
    public DegradationSystem System { get; }
    public ProbeRunner Probes { get; }
    public RecoveryOrchestrator Recovery { get; }
    public ProgressRecorder Progress { get; }
    public StalenessCache<string, decimal> Positions { get; }
    public FakeBroker Broker { get; } = new();
    public Dictionary<string, decimal> LocalPositions { get; } = new() { ["AAPL"] = 100, ["MSFT"] = -20 };
    public Queue<string> WriteBuffer { get; } = new();
    public List<string> Replayed { get; } = [];
    /// <summary>"step@stage send=… cancel=…", in execution order.</summary>
    public List<string> Log { get; } = [];
    public List<(TimeSpan At, SystemMode Mode, string Order)> SentOrders { get; } = [];
    public List<(TimeSpan At, SystemMode Mode, string? Advice)> RefusedOrders { get; } = [];
    public List<(SystemMode Mode, RecoveryStage? Stage, bool Allowed, string? Advice)> CancelDecisions { get; } = [];
    public TimeSpan Now => TimeSpan.FromTicks(Time.GetTimestamp() - _start);

    private readonly long _start;
    private int _orders;

    public sealed class FakeBroker
    {
        public volatile bool Up = true;
        public bool RejectLogin { get; set; }
        public int Reconnects { get; set; }
        public Dictionary<string, decimal> Positions { get; } = new() { ["AAPL"] = 100, ["MSFT"] = -20 };
    }

    /// <summary>Starts probes and recovery, lets the cold-start run finish and waits out the stability window: the system is Normal.</summary>
    public async Task StartAsync()
    {
        Probes.Start();
        System.Bus.ProcessPending();
        var coldStart = System.StateMachine.ActiveRecoveryRun!.Value;
        Recovery.Start();
        var outcome = await Recovery.WhenRunFinishedAsync(coldStart).Within();
        Assert.Equal(RecoveryRunStatus.Completed, outcome.Status);
        RunUntil(() => System.Gate.Mode == SystemMode.Normal, TimeSpan.FromSeconds(15));
        Log.Clear();
    }

    public void Step()
    {
        Time.Advance(StepSize);
        System.Bus.ProcessPending();
        System.StateMachine.Tick();
        TradeOnce();
    }

    /// <summary>Steps until <paramref name="condition"/> holds; returns the time it took. Fails after <paramref name="max"/>.</summary>
    public TimeSpan RunUntil(Func<bool> condition, TimeSpan max)
    {
        var start = Now;
        while (!condition())
        {
            if (Now - start > max) Assert.Fail($"condition not met within {max} (mode {System.Gate.Mode}/{System.Gate.Stage})");
            Step();
        }
        return Now - start;
    }

    public void RunFor(TimeSpan duration)
    {
        var end = Now + duration;
        while (Now < end) Step();
    }

    /// <summary>One iteration of the trading loop: ask the gate, send or not, try a cancel, refresh positions while connected.</summary>
    public void TradeOnce()
    {
        var mode = System.Gate.Mode;
        var send = System.Gate.Check(ActionType.Send);
        var order = "ord-" + ++_orders;
        if (send.Allowed) SentOrders.Add((Now, mode, order));
        else RefusedOrders.Add((Now, mode, send.Advice));
        var cancel = System.Gate.Check(ActionType.Cancel);
        CancelDecisions.Add((cancel.Mode, cancel.Stage, cancel.Allowed, cancel.Advice));
        if (Broker.Up && System.Gate.Allows(ActionType.Query))
            foreach (var (instrument, quantity) in Broker.Positions) Positions.Set(instrument, quantity, "broker");
    }

    public async ValueTask DisposeAsync()
    {
        await Recovery.DisposeAsync();
        await Probes.DisposeAsync();
        await System.DisposeAsync();
    }

    private void AddStep(RecoveryStage stage, string name, Func<RecoveryStepResult> body) =>
        Recovery.AddStep(stage, new Logged(this, new DelegateRecoveryStep(name, (_, _) => ValueTask.FromResult(body()))));

    private void Record(string step)
    {
        var gate = System.Gate;
        lock (Log) Log.Add($"{step}@{gate.Stage} send={gate.Allows(ActionType.Send)} cancel={gate.Allows(ActionType.Cancel)}");
    }

    /// <summary>Logs a step when it runs (with the gate's stage and permissions at that moment).</summary>
    private sealed class Logged(OutageHarness harness, IRecoveryStep inner) : IRecoveryStep
    {
        public string Name => inner.Name;

        public ValueTask<RecoveryStepResult> ExecuteAsync(RecoveryStepContext context, CancellationToken cancellationToken)
        {
            harness.Record(inner.Name);
            return inner.ExecuteAsync(context, cancellationToken);
        }
    }
}
