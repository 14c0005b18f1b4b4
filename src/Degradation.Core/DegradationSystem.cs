namespace Degradation;

/// <summary>
/// The DI-free entry point: wires the trading gate, the state machine and the event bus, and drives
/// re-evaluation (dwell, stability, TTLs, override expiry) from a <see cref="System.TimeProvider"/> timer.
/// Starts cold in <see cref="SystemMode.Recovering"/>/<see cref="RecoveryStage.ConnectBroker"/>.
/// </summary>
/// <example>
/// <code>
/// await using var system = DegradationSystem.Create();
/// system.Start();
/// if (system.Gate.Allows(ActionType.Send)) { /* send the order */ }
/// system.ReportFailure(ComponentId.Broker, ReasonCode.BrokerDisconnect); // gate closed on return
/// </code>
/// </example>
public sealed class DegradationSystem : IAsyncDisposable
{
    private readonly object _lifecycle = new();
    private ITimer? _ticker;
    private bool _disposed;

    private DegradationSystem(DegradationPolicy policy, TimeProvider timeProvider, IOperatorStateStore? operatorStateStore)
    {
        Policy = policy;
        TimeProvider = timeProvider;
        StateMachine = new DegradationStateMachine(policy, timeProvider, operatorStateStore);
        Bus = new EventBus(policy, StateMachine, timeProvider);
        Scopes = new ScopeTree(StateMachine, Bus);
        KillSwitch = new KillSwitch(StateMachine, timeProvider);
        // The cold start (or a restored Halt) happened in the state machine's constructor: trace it too.
        foreach (var transition in StateMachine.GetHistory()) TransitionTracing.Record(transition);
        StateMachine.SubscribeTransitions(TransitionTracing.Record);
    }

    /// <summary>Creates a system from validated options, without durable operator state.</summary>
    /// <param name="options">The options; defaults when null.</param>
    /// <param name="timeProvider">The clock; <see cref="TimeProvider.System"/> when null.</param>
    /// <exception cref="DegradationOptionsException">An option is invalid; the message names it.</exception>
    public static DegradationSystem Create(DegradationOptions? options = null, TimeProvider? timeProvider = null) =>
        Create(options, timeProvider, null);

    /// <summary>
    /// Creates a system from validated options whose operator Halts and overrides are kept in
    /// <paramref name="operatorStateStore"/>: the stored state is restored before the gate exists, so a stored
    /// Halt is in force from the very first gate check.
    /// </summary>
    /// <param name="options">The options; defaults when null.</param>
    /// <param name="timeProvider">The clock; <see cref="TimeProvider.System"/> when null.</param>
    /// <param name="operatorStateStore">The durable operator state (e.g. the file store of the Storage.File package); null keeps it in memory.</param>
    /// <exception cref="DegradationOptionsException">An option is invalid; the message names it.</exception>
    public static DegradationSystem Create(DegradationOptions? options, TimeProvider? timeProvider, IOperatorStateStore? operatorStateStore) =>
        new(new DegradationPolicy(options ?? new DegradationOptions()), timeProvider ?? TimeProvider.System, operatorStateStore);

    /// <summary>The compiled, validated options.</summary>
    public DegradationPolicy Policy { get; }
    /// <summary>The options.</summary>
    public DegradationOptions Options => Policy.Options;
    /// <summary>The clock.</summary>
    public TimeProvider TimeProvider { get; }
    /// <summary>The trading gate for the hot path.</summary>
    public TradingGate Gate => StateMachine.Gate;
    /// <summary>The single writer of the mode.</summary>
    public DegradationStateMachine StateMachine { get; }
    /// <summary>The event bus.</summary>
    public EventBus Bus { get; }
    /// <summary>
    /// The scopes below the process (venue → account → strategy), each with its own state machine; the process scope is
    /// <see cref="ScopeTree.Root"/>. Trade through <c>Gate.For(Gate.Resolve("venue-a/acct-1"))</c>.
    /// </summary>
    public ScopeTree Scopes { get; }
    /// <summary>The kill-switch actions and their latest outcomes.</summary>
    public KillSwitch KillSwitch { get; }
    /// <summary>The outcome of each kill-switch action for the latest entry into Halt.</summary>
    public IReadOnlyList<KillSwitchActionOutcome> KillSwitchOutcomes => KillSwitch.Outcomes;

    /// <summary>
    /// Registers an action to run once per entry into Halt (operator kill switch or automatic), e.g. a venue
    /// mass-cancel; see <see cref="IKillSwitchAction"/> for why that is where a mass-cancel belongs.
    /// </summary>
    public DegradationSystem AddKillSwitchAction(IKillSwitchAction action)
    {
        KillSwitch.Add(action);
        return this;
    }

    /// <summary>Starts the bus consumer loop and the re-evaluation timer. Idempotent.</summary>
    public void Start()
    {
        lock (_lifecycle)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            Bus.Start();
            Scopes.Start();
            KillSwitch.Start();
            var interval = Options.StateMachine.TickInterval;
            _ticker ??= TimeProvider.CreateTimer(static state => ((ScopeTree)state!).Tick(), Scopes, interval, interval);
        }
    }

    /// <summary>Stops the timer, drains the bus and waits for observers to catch up.</summary>
    public async Task StopAsync(CancellationToken cancellationToken = default)
    {
        ITimer? ticker;
        lock (_lifecycle)
        {
            ticker = _ticker;
            _ticker = null;
        }
        if (ticker is not null) await ticker.DisposeAsync().ConfigureAwait(false);
        await Bus.StopAsync(cancellationToken).ConfigureAwait(false);
        await Scopes.StopAsync(cancellationToken).ConfigureAwait(false);
        await StateMachine.FlushObserversAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Publishes a failure of <paramref name="component"/> (FailCritical for a critical component, FailSupport otherwise).</summary>
    public bool ReportFailure(ComponentId component, ReasonCode reason, string? details = null, TimeSpan? ttl = null)
    {
        var critical = Policy.GetComponent(component)?.Critical ?? false;
        return Bus.Publish(critical ? EventType.FailCritical : EventType.FailSupport, component, reason, details, ttl);
    }

    /// <summary>Publishes that <paramref name="component"/> recovered (clears its conditions, Halt excepted).</summary>
    public bool ReportRecovered(ComponentId component, string? details = null) =>
        Bus.Publish(EventType.Recovered, component, ReasonCode.ComponentRecovered, details);

    /// <summary>Publishes a heartbeat that keeps <paramref name="component"/>'s status fresh.</summary>
    public bool Heartbeat(ComponentId component, TimeSpan? ttl = null) =>
        Bus.Publish(EventType.Heartbeat, component, ReasonCode.ComponentHeartbeat, null, ttl);

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        lock (_lifecycle)
        {
            if (_disposed) return;
            _disposed = true;
        }
        await StopAsync().ConfigureAwait(false);
        await Scopes.DisposeAsync().ConfigureAwait(false);
        await KillSwitch.DisposeAsync().ConfigureAwait(false);
        await StateMachine.DisposeAsync().ConfigureAwait(false);
    }
}
