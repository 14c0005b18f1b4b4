using Degradation;
using Degradation.Health;
using Degradation.Probes;
using Degradation.Recovery;
using Degradation.State;
using Degradation.Audit;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using TradingHost.Simulation;

namespace TradingHost.Hosting;

/// <summary>
/// One generic host running the degradation system over the simulated dependencies, with its own virtual clock
/// (<see cref="VirtualClock"/>) and a fresh WAL directory (deleted on dispose). Records every transition and prints it as it happens.
/// </summary>
public sealed class TradingEnvironment : IAsyncDisposable
{
    private readonly IHost _host;
    private readonly IDisposable _subscription;
    private readonly List<ModeTransition> _transitions = [];
    private readonly TextWriter _output;
    private long _scenarioStart;
    // Transitions after this one are the scenario's: a sequence, not a time, because the virtual clock moves in steps
    // and the transition into Normal shares its timestamp with the scenario's start.
    private long _warmUpSequence = long.MaxValue;
    private bool _printWarmUp = true;
    private long _created;
    private bool _begun;
    // The writer once the host has started (before that it cannot be resolved): what the clock waits for.
    private DbWriter? _startedWriter;

    private TradingEnvironment(IHost host, VirtualClock time, string walDirectory, TextWriter output)
    {
        _host = host;
        Time = time;
        WalDirectory = walDirectory;
        _output = output;
        var services = host.Services;
        System = services.GetRequiredService<DegradationSystem>();
        Broker = services.GetRequiredService<SimulatedBroker>();
        MarketData = services.GetRequiredService<SimulatedMarketData>();
        Risk = services.GetRequiredService<SimulatedRiskService>();
        Database = services.GetRequiredService<SimulatedDatabase>();
        Orderbook = services.GetRequiredService<SimulatedOrderbookFeed>();
        Book = services.GetRequiredService<PositionBook>();
        Probes = services.GetRequiredService<ProbeRunner>();
        Orchestrator = services.GetRequiredService<RecoveryOrchestrator>();
        Fallbacks = services.GetRequiredService<ComponentFallbackCoordinator>();
        Caches = services.GetRequiredService<SimulationCaches>();
        Reconciliation = services.GetRequiredService<ReconcilePositionsStep>();
        Audit = services.GetRequiredService<AuditTrail>();
        Router = new OrderRouter(Broker, Book, System.Gate, time);
        Strategy = new StrategyLoop(System.Gate, time) { OrderSent = n => Writer.Post(n) };
        time.WaitFor("the strategy loop to catch up", () => Strategy.IsCaughtUp);
        time.WaitFor("the database writer to go idle", () => Volatile.Read(ref _startedWriter) is not { } writer || writer.IsIdle);
        _scenarioStart = _created = time.GetTimestamp();
        _subscription = System.StateMachine.SubscribeTransitions(OnTransition);
    }

    public VirtualClock Time { get; }
    public string WalDirectory { get; }
    public DegradationSystem System { get; }
    public DegradationStateMachine StateMachine => System.StateMachine;
    public TradingGate Gate => System.Gate;
    public SimulatedBroker Broker { get; }
    public SimulatedMarketData MarketData { get; }
    public SimulatedRiskService Risk { get; }
    public SimulatedDatabase Database { get; }
    public SimulatedOrderbookFeed Orderbook { get; }
    public PositionBook Book { get; }
    /// <summary>The database writer; its write buffer opens when the host starts, so it is resolved on first use.</summary>
    public DbWriter Writer => _host.Services.GetRequiredService<DbWriter>();
    public ProbeRunner Probes { get; }
    public RecoveryOrchestrator Orchestrator { get; }
    public ComponentFallbackCoordinator Fallbacks { get; }
    public SimulationCaches Caches { get; }
    public ReconcilePositionsStep Reconciliation { get; }
    /// <summary>The audit trail (record-only bus events such as positions_reconciled land here).</summary>
    public AuditTrail Audit { get; }
    public OrderRouter Router { get; }
    public StrategyLoop Strategy { get; }

    /// <summary>Simulated seconds since the scenario started.</summary>
    public double SimSeconds(long timestamp) => Time.GetElapsedTime(_scenarioStart, timestamp).TotalSeconds;

    public static async Task<TradingEnvironment> StartAsync(double speed, Action<DegradationOptions>? configure, TextWriter output,
        CancellationToken cancellationToken, bool printColdStart = true, SimulationProgress? progress = null)
    {
        var time = new VirtualClock(speed, progress);
        try
        {
            return await StartAsync(time, configure, output, cancellationToken, printColdStart);
        }
        catch
        {
            time.Dispose();
            throw;
        }
    }

    private static async Task<TradingEnvironment> StartAsync(VirtualClock time, Action<DegradationOptions>? configure, TextWriter output,
        CancellationToken cancellationToken, bool printColdStart)
    {
        var walDirectory = Path.Combine(Path.GetTempPath(), "tradinghost-" + Guid.NewGuid().ToString("N")[..12]);
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Logging.ClearProviders();
        // The clock must be registered before AddGracefulDegradation: the system takes the host's TimeProvider.
        builder.Services.AddSingleton<TimeProvider>(time);
        builder.Services.AddSingleton(sp => new SimulatedBroker(sp.GetRequiredService<TimeProvider>()));
        builder.Services.AddSingleton(sp => new SimulatedMarketData(sp.GetRequiredService<TimeProvider>()));
        builder.Services.AddSingleton(sp => new SimulatedRiskService(sp.GetRequiredService<TimeProvider>()));
        builder.Services.AddSingleton<SimulatedDatabase>();
        builder.Services.AddSingleton<SimulatedOrderbookFeed>();
        builder.Services.AddSingleton<PositionBook>();
        builder.Services.AddSingleton<DbWriter>();
        builder.Services.AddSingleton<SimulationCaches>();
        builder.Services.AddSingleton(sp => new AuditTrail(sp.GetRequiredService<TimeProvider>()));
        builder.Services.AddGracefulDegradation(o =>
            {
                SimulationDefaults.Apply(o);
                configure?.Invoke(o);
            })
            .AddComponent(OrderbookProbe.Id.Name, critical: false, fallback: RestPollingFallback.StrategyName, category: "order book")
            .AddProbe<BrokerProbe>(ComponentId.Broker, critical: true, p => p.Interval = SimulationDefaults.ProbeInterval)
            .AddProbe<MarketDataProbe>(ComponentId.MarketData, critical: true, p => p.Interval = SimulationDefaults.ProbeInterval)
            .AddProbe<RiskProbe>(ComponentId.Risk, critical: true, p => p.Interval = SimulationDefaults.ProbeInterval)
            .AddProbe<OrderbookProbe>(OrderbookProbe.Id, critical: false, p => p.Interval = SimulationDefaults.ProbeInterval)
            .AddRecoveryStep<ReconnectBrokerStep>(RecoveryStage.ConnectBroker)
            .AddRecoveryStep<CatchUpMarketDataStep>(RecoveryStage.CatchupMarketData)
            .AddRecoveryStep<InvalidateCachesStep>(RecoveryStage.CatchupMarketData)
            .AddRecoveryStep<ReconcilePositionsStep>(RecoveryStage.VerifyRisk)
            .AddRecoveryStep<VerifyRiskStep>(RecoveryStage.VerifyRisk)
            // The sample's own replay step: the database is optional, so a database still down must not fail recovery.
            .AddRecoveryStep<ReplayBufferStep>(RecoveryStage.VerifyRisk)
            .UseFileWal(walDirectory)
            .AddWriteBuffer<DatabaseWriteTarget>(replayStage: null);
        builder.Services.AddHostedService<TradingSimulationService>();
        var host = builder.Build();
        var environment = new TradingEnvironment(host, time, walDirectory, output) { _printWarmUp = printColdStart };
        if (printColdStart) output.WriteLine("  host starting: cold start in Recovering/ConnectBroker; the recovery run and the probes must pass first");
        try
        {
            await host.StartAsync(cancellationToken);
            Volatile.Write(ref environment._startedWriter, environment.Writer);
        }
        catch
        {
            await environment.DisposeAsync();
            throw;
        }
        return environment;
    }

    /// <summary>From now on, transitions count as the scenario's (earlier ones were warm-up).</summary>
    public void BeginScenario()
    {
        lock (_transitions) _transitions.Clear();
        Volatile.Write(ref _warmUpSequence, StateMachine.CurrentSequence);
        Volatile.Write(ref _scenarioStart, Time.GetTimestamp());
        Volatile.Write(ref _begun, true);
        _printWarmUp = false;
    }

    /// <summary>Simulated time the cold start took (host start to the scenario's start).</summary>
    public TimeSpan ColdStartDuration => Time.GetElapsedTime(_created, _scenarioStart);

    public async Task<IReadOnlyList<ModeTransition>> GetScenarioTransitionsAsync(CancellationToken cancellationToken)
    {
        await StateMachine.FlushObserversAsync(cancellationToken);
        var warmUp = Volatile.Read(ref _warmUpSequence);
        lock (_transitions) return [.. _transitions.Where(t => t.Sequence > warmUp)];
    }

    public void Log(string text) => _output.WriteLine($"  [{SimSeconds(Time.GetTimestamp()),6:0.0}s] {text}");

    public async ValueTask DisposeAsync()
    {
        Strategy.Stop();
        try
        {
            using var stopTimeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            await _host.StopAsync(stopTimeout.Token);
        }
        finally
        {
            _subscription.Dispose();
            // The container owns the system, probes and orchestrator (IAsyncDisposable only): dispose asynchronously.
            if (_host is IAsyncDisposable asyncHost) await asyncHost.DisposeAsync();
            else _host.Dispose();
            try { if (Directory.Exists(WalDirectory)) Directory.Delete(WalDirectory, recursive: true); }
            catch (IOException) { /* best effort: a temp directory */ }
            // Last: stopping the host may still wait on the clock (timers, delays).
            Time.Dispose();
        }
    }

    private void OnTransition(ModeTransition t)
    {
        lock (_transitions) _transitions.Add(t);
        if (!_printWarmUp && (!Volatile.Read(ref _begun) || t.Sequence <= Volatile.Read(ref _warmUpSequence))) return;
        var from = t.From + (t.FromStage is { } fs ? "/" + fs : "");
        var to = t.To + (t.ToStage is { } ts ? "/" + ts : "");
        _output.WriteLine($"  [{SimSeconds(t.Timestamp),6:0.0}s] {from,-28} -> {to,-28} {t.Reason} ({t.Component}{(t.OperatorId is null ? "" : ", by " + t.OperatorId)})");
    }
}
