namespace Degradation.Composition;

/// <summary>
/// Composes a degradation system without a DI container — components, probes, recovery steps, the write buffer and its
/// write-ahead log, alert sinks, audit stores, the operator-state store, kill-switch actions and scopes — and builds a
/// <see cref="DegradationRuntime"/>, which owns the start and stop order. The hosting package's
/// <c>AddGracefulDegradation()</c> composes through this type too. A builder builds once and is not thread-safe.
/// </summary>
/// <example>
/// <code>
/// await using var runtime = await new DegradationSystemBuilder()
///     .AddProbe(new BrokerProbe(client), critical: true)
///     .AddRecoveryStep(RecoveryStage.ConnectBroker, new ReconnectBrokerStep(client))
///     .UseFileWal("data/wal")                  // Degradation.Storage.File; also keeps operator Halts in data/wal
///     .AddWriteBuffer(new OrdersTable(db))
///     .BuildAsync();
/// await runtime.StartAsync();
/// if (runtime.Gate.Allows(ActionType.Send)) { /* send the order */ }
/// </code>
/// </example>
public sealed class DegradationSystemBuilder : IDegradationBuilder
{
    private static readonly TimeSpan DefaultProbeInterval = TimeSpan.FromSeconds(1);
    private readonly List<ProbeRegistration> _probes = [];
    private readonly List<RecoveryStepRegistration> _steps = [];
    private readonly List<AlertSinkRegistration> _alertSinks = [];
    private readonly List<IAuditStore> _auditStores = [];
    private readonly List<IKillSwitchAction> _killSwitchActions = [];
    private readonly List<ScopeRegistration> _scopes = [];
    private WriteBufferRegistration? _writeBuffer;
    private Func<DegradationRuntime, CancellationToken, ValueTask<IWalStore>>? _walStore;
    private IOperatorStateStore? _operatorStateStore;
    private bool _built;

    /// <summary>Creates a builder.</summary>
    /// <param name="options">
    /// The options the system is created from; defaults when null. The builder adds the components it registers to
    /// them; they are validated when the system is built.
    /// </param>
    /// <param name="timeProvider">The clock; <see cref="System.TimeProvider.System"/> when null.</param>
    public DegradationSystemBuilder(DegradationOptions? options = null, TimeProvider? timeProvider = null)
    {
        Options = options ?? new DegradationOptions();
        TimeProvider = timeProvider ?? TimeProvider.System;
    }

    /// <summary>The options the system will be created from.</summary>
    public DegradationOptions Options { get; }

    /// <summary>The clock of the system and of everything the builder creates.</summary>
    public TimeProvider TimeProvider { get; private set; }

    /// <summary>True once a write-ahead log was chosen (<see cref="UseWalStore(IWalStore)"/>, <see cref="UseInMemoryWal"/> or a storage package's <c>Use…</c>).</summary>
    public bool HasWalStore => _walStore is not null;

    /// <summary>True once an operator-state store was chosen (<see cref="UseOperatorStateStore"/> or a storage package's <c>Use…</c>).</summary>
    public bool HasOperatorStateStore => _operatorStateStore is not null;

    /// <summary>True once <see cref="AddWriteBuffer(IBufferedWriteTarget, RecoveryStage?)"/> was called.</summary>
    public bool HasWriteBuffer => _writeBuffer is not null;

    /// <summary>Runs <paramref name="configure"/> on this builder now (what storage packages' <c>Use…</c> extensions call).</summary>
    public DegradationSystemBuilder Configure(Action<DegradationSystemBuilder> configure)
    {
        ArgumentNullException.ThrowIfNull(configure);
        configure(this);
        return this;
    }

    IDegradationBuilder IDegradationBuilder.Configure(Action<DegradationSystemBuilder> configure) => Configure(configure);

    /// <summary>Changes the options before the system is built.</summary>
    public DegradationSystemBuilder ConfigureOptions(Action<DegradationOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(configure);
        ThrowIfBuilt();
        configure(Options);
        return this;
    }

    /// <summary>Uses <paramref name="timeProvider"/> as the clock of the system and of everything the builder creates.</summary>
    public DegradationSystemBuilder UseTimeProvider(TimeProvider timeProvider)
    {
        ArgumentNullException.ThrowIfNull(timeProvider);
        ThrowIfBuilt();
        TimeProvider = timeProvider;
        return this;
    }

    /// <summary>Registers a component (critical or optional) beyond the well-known ones, replacing an earlier registration of it.</summary>
    /// <param name="name">Component name, e.g. <c>"orderbook-ws"</c>.</param>
    /// <param name="critical">Whether its failure may close trading; an optional component degrades at most to Degraded.</param>
    /// <param name="fallback">Name of the fallback strategy active while it is down (shown in health reports).</param>
    /// <param name="category">A short human category for reports.</param>
    /// <param name="statusTtl">How long its latest report stays valid; the global default when null.</param>
    public DegradationSystemBuilder AddComponent(string name, bool critical, string? fallback = null, string? category = null, TimeSpan? statusTtl = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        if (statusTtl is { } ttl && ttl <= TimeSpan.Zero)
            throw new ArgumentOutOfRangeException(nameof(statusTtl), statusTtl, $"The status TTL of component '{name}' must be positive.");
        ThrowIfBuilt();
        Options.Components[name] = new ComponentOptions
        {
            Critical = critical, Fallback = fallback, Category = category, StatusTtlSeconds = statusTtl?.TotalSeconds,
        };
        return this;
    }

    /// <summary>
    /// Adds <paramref name="probe"/> (registering its component as critical or optional); it starts last, after the
    /// event bus and recovery, and stops first.
    /// </summary>
    /// <param name="probe">The probe.</param>
    /// <param name="critical">Whether the component's failure may close trading.</param>
    /// <param name="configure">Interval, timeout and reasons; the interval defaults to 1 s.</param>
    public DegradationSystemBuilder AddProbe(IProbe probe, bool critical, Action<ProbeSettings>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(probe);
        return AddProbe(probe.Component, critical, _ => probe, configure);
    }

    /// <summary>
    /// Adds a probe of <paramref name="component"/> created by <paramref name="create"/> when the runtime starts (after
    /// the write buffer is open, so a probe may use it).
    /// </summary>
    /// <param name="component">The component the probe checks; the runtime refuses to start when the created probe checks another.</param>
    /// <param name="critical">Whether the component's failure may close trading.</param>
    /// <param name="create">Creates the probe.</param>
    /// <param name="configure">Interval, timeout and reasons; the interval defaults to 1 s.</param>
    public DegradationSystemBuilder AddProbe(ComponentId component, bool critical, Func<DegradationRuntime, IProbe> create, Action<ProbeSettings>? configure = null)
    {
        if (component.IsEmpty) throw new ArgumentException("A component is required.", nameof(component));
        ArgumentNullException.ThrowIfNull(create);
        ThrowIfBuilt();
        var settings = new ProbeSettings { Interval = DefaultProbeInterval };
        configure?.Invoke(settings);
        if (settings.Interval <= TimeSpan.Zero)
            throw new ArgumentOutOfRangeException(nameof(configure), settings.Interval, $"The probe interval of {component} must be positive.");
        if (!Options.Components.TryGetValue(component.Name, out var existing))
            Options.Components[component.Name] = existing = DegradationPolicy.DefaultComponentOptions(component.Name) ?? new ComponentOptions();
        existing.Critical = critical;
        _probes.Add(new ProbeRegistration(component, create, settings));
        return this;
    }

    /// <summary>Adds a recovery step run at <paramref name="stage"/> of every recovery run.</summary>
    public DegradationSystemBuilder AddRecoveryStep(RecoveryStage stage, IRecoveryStep step)
    {
        ArgumentNullException.ThrowIfNull(step);
        return AddRecoveryStep(stage, _ => step);
    }

    /// <summary>
    /// Adds a recovery step run at <paramref name="stage"/> of every recovery run, created by <paramref name="create"/>
    /// when the runtime starts (after the write buffer is open, so a step may use it).
    /// </summary>
    public DegradationSystemBuilder AddRecoveryStep(RecoveryStage stage, Func<DegradationRuntime, IRecoveryStep> create)
    {
        if (!Enum.IsDefined(stage)) throw new ArgumentOutOfRangeException(nameof(stage), stage, "Unknown recovery stage.");
        ArgumentNullException.ThrowIfNull(create);
        ThrowIfBuilt();
        _steps.Add(new RecoveryStepRegistration(stage, create));
        return this;
    }

    /// <summary>
    /// Adds the durable write buffer (<see cref="DegradationRuntime.WriteBuffer"/>), replaying into
    /// <paramref name="target"/>. Replay also runs as a recovery step at <paramref name="replayStage"/> unless it is
    /// null. It needs a write-ahead log: one of the storage packages' <c>Use…</c> (e.g. <c>UseFileWal</c>),
    /// <see cref="UseWalStore(IWalStore)"/>, or — losing writes on a crash — <see cref="UseInMemoryWal"/>; without a
    /// choice the build fails, never falling back to memory.
    /// </summary>
    public DegradationSystemBuilder AddWriteBuffer(IBufferedWriteTarget target, RecoveryStage? replayStage = RecoveryStage.CatchupMarketData)
    {
        ArgumentNullException.ThrowIfNull(target);
        return AddWriteBuffer(_ => target, replayStage);
    }

    /// <summary>Adds the durable write buffer with its target created by <paramref name="createTarget"/> when the runtime opens.</summary>
    /// <inheritdoc cref="AddWriteBuffer(IBufferedWriteTarget, RecoveryStage?)"/>
    public DegradationSystemBuilder AddWriteBuffer(Func<DegradationRuntime, IBufferedWriteTarget> createTarget, RecoveryStage? replayStage = RecoveryStage.CatchupMarketData)
    {
        ArgumentNullException.ThrowIfNull(createTarget);
        if (replayStage is { } stage && !Enum.IsDefined(stage)) throw new ArgumentOutOfRangeException(nameof(replayStage), stage, "Unknown recovery stage.");
        ThrowIfBuilt();
        _writeBuffer = new WriteBufferRegistration(createTarget, replayStage);
        return this;
    }

    /// <summary>
    /// Uses <paramref name="store"/> as the write buffer's write-ahead log, replacing an earlier choice. The runtime owns
    /// it: it is flushed and disposed when the runtime stops.
    /// </summary>
    public DegradationSystemBuilder UseWalStore(IWalStore store)
    {
        ArgumentNullException.ThrowIfNull(store);
        return UseWalStore((_, _) => ValueTask.FromResult(store));
    }

    /// <summary>
    /// Uses the write-ahead log opened by <paramref name="open"/> when the runtime opens (only when a write buffer was
    /// added), replacing an earlier choice. The runtime owns it: it is flushed and disposed when the runtime stops.
    /// </summary>
    public DegradationSystemBuilder UseWalStore(Func<DegradationRuntime, CancellationToken, ValueTask<IWalStore>> open)
    {
        ArgumentNullException.ThrowIfNull(open);
        ThrowIfBuilt();
        _walStore = open;
        return this;
    }

    /// <summary>
    /// Uses the in-memory write-ahead log: buffered writes are lost when the process stops or crashes. For tests and
    /// demos only.
    /// </summary>
    public DegradationSystemBuilder UseInMemoryWal() => UseWalStore((_, _) => ValueTask.FromResult<IWalStore>(new InMemoryWalStore()));

    /// <summary>
    /// Keeps operator Halts and overrides in <paramref name="store"/>, replacing an earlier choice: it is read while the
    /// system is built, before its gate exists, so a stored Halt is in force from the very first gate check.
    /// </summary>
    public DegradationSystemBuilder UseOperatorStateStore(IOperatorStateStore store)
    {
        ArgumentNullException.ThrowIfNull(store);
        ThrowIfBuilt();
        _operatorStateStore = store;
        return this;
    }

    /// <summary>Adds an alert sink; alerts (mode changes among them) are routed to every sink off the hot path.</summary>
    /// <param name="sink">The sink.</param>
    /// <param name="name">The route's name in status reports; the sink's type name when null.</param>
    public DegradationSystemBuilder AddAlertSink(IAlertSink sink, string? name = null)
    {
        ArgumentNullException.ThrowIfNull(sink);
        if (name is not null) ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ThrowIfBuilt();
        _alertSinks.Add(new AlertSinkRegistration(sink, name ?? sink.GetType().Name));
        return this;
    }

    /// <summary>Adds an audit store that receives every transition, override and release, in order, from the cold start on.</summary>
    public DegradationSystemBuilder AddAuditStore(IAuditStore store)
    {
        ArgumentNullException.ThrowIfNull(store);
        ThrowIfBuilt();
        if (!_auditStores.Contains(store)) _auditStores.Add(store);
        return this;
    }

    /// <summary>Adds an action run once per entry into Halt, e.g. the venue's mass-cancel (see <see cref="IKillSwitchAction"/>).</summary>
    public DegradationSystemBuilder AddKillSwitchAction(IKillSwitchAction action)
    {
        ArgumentNullException.ThrowIfNull(action);
        ArgumentException.ThrowIfNullOrWhiteSpace(action.Name, nameof(action));
        ThrowIfBuilt();
        if (!_killSwitchActions.Contains(action)) _killSwitchActions.Add(action);
        return this;
    }

    /// <summary>Adds the scope at <paramref name="path"/> (e.g. <c>"venue-a/acct-1"</c>) when the system is built; see <see cref="ScopeTree.Add"/>.</summary>
    public DegradationSystemBuilder AddScope(string path, ScopeOptions? options = null)
    {
        if (ScopePaths.Split(path, nameof(path)).Length == 0)
            throw new ArgumentException("The process scope (path \"\") always exists and cannot be added.", nameof(path));
        ThrowIfBuilt();
        if (_scopes.Any(s => s.Path == path && (s.Options is not null || options is not null)))
            throw new InvalidOperationException($"Scope '{path}' is already added; its options cannot be changed.");
        _scopes.Add(new ScopeRegistration(path, options));
        return this;
    }

    /// <summary>
    /// Builds the runtime without opening anything but the operator-state store: the options are validated, the stored
    /// operator state is restored before the gate exists (a stored Halt holds from the first gate check), and the system
    /// starts cold, in Recovering, its gate closed for new orders. The write-ahead log and the write buffer open in
    /// <see cref="DegradationRuntime.OpenAsync"/> or <see cref="DegradationRuntime.StartAsync"/>; nothing runs until then.
    /// </summary>
    /// <exception cref="DegradationOptionsException">An option is invalid; the message names it.</exception>
    /// <exception cref="InvalidOperationException">The builder already built, or a write buffer was added without a write-ahead log.</exception>
    public DegradationRuntime Build()
    {
        ThrowIfBuilt();
        if (_writeBuffer is not null && _walStore is null)
            throw new InvalidOperationException(
                "The write buffer has no write-ahead log: choose one (UseFileWal from Degradation.Storage.File, UseWalStore, " +
                "or UseInMemoryWal, which loses buffered writes on a crash).");
        var system = DegradationSystem.Create(Options, TimeProvider, _operatorStateStore); // validates: a bad option can be fixed and built again
        _built = true;
        // Cannot throw: actions and scope paths were checked when they were added.
        foreach (var action in _killSwitchActions) system.AddKillSwitchAction(action);
        // Parents first: an ancestor added with options after a descendant created it with defaults would be refused.
        foreach (var scope in _scopes.OrderBy(s => s.Path.Count(c => c == '/'))) system.Scopes.Add(scope.Path, scope.Options);
        return new DegradationRuntime(system, new DegradationComposition(
            [.. _probes], [.. _steps], [.. _alertSinks], [.. _auditStores], _writeBuffer, _walStore));
    }

    /// <summary>
    /// Builds the runtime (<see cref="Build"/>) and opens its write-ahead log and write buffer
    /// (<see cref="DegradationRuntime.OpenAsync"/>), so <see cref="DegradationRuntime.WriteBuffer"/> is ready before
    /// anything runs. Start it with <see cref="DegradationRuntime.StartAsync"/>.
    /// </summary>
    /// <inheritdoc cref="Build" path="/exception"/>
    public async Task<DegradationRuntime> BuildAsync(CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var runtime = Build();
        try
        {
            await runtime.OpenAsync(cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            await runtime.DisposeAsync().ConfigureAwait(false);
            throw;
        }
        return runtime;
    }

    private void ThrowIfBuilt()
    {
        if (_built) throw new InvalidOperationException("This builder already built its runtime; a builder builds once.");
    }
}
