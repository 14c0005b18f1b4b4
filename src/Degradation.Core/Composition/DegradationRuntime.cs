using System.Runtime.ExceptionServices;

namespace Degradation.Composition;

/// <summary>
/// A degradation system composed by a <see cref="DegradationSystemBuilder"/>, with the parts around it (probe runner,
/// recovery orchestrator, alert router, write buffer, fallback coordinator, health reporter), owning their start and
/// stop order. Its lifecycle runs one way: built → opened → started → stopped (or failed); a runtime starts once.
/// </summary>
/// <remarks>
/// <para>Build (<see cref="DegradationSystemBuilder.Build"/>): the operator-state store is read before the gate exists,
/// so a stored operator Halt holds from the first gate check; the system starts cold, in Recovering.</para>
/// <para><see cref="OpenAsync"/>: the write-ahead log opens, then the write buffer over it (reading what a previous run
/// left), before anything runs.</para>
/// <para>Audit: every audit store gets every transition (attached to the state machine at start, the cold start
/// included) and every other record through <see cref="Audit"/> — fallback tiers, load and feature levels, approvals,
/// alert acknowledgements, record-only events and kill-switch action outcomes — in order per store, never waiting for a
/// slow one. A record a store refuses or fails is counted in <see cref="AuditFailures"/> and raised on <see cref="AuditFailed"/>.</para>
/// <para><see cref="StartAsync"/>: audit stores are attached (they get the cold start too), alert routing starts,
/// recovery steps and probes are created and checked, then the fallback coordinator, the recovery orchestrator, the
/// event bus with its re-evaluation timer, and last the probes start.</para>
/// <para><see cref="StopAsync"/>, in reverse: probes stop first, then recovery, then the bus is drained (every event
/// accepted so far is applied and every observer has seen every transition), the fallback coordinator stops, the write
/// buffer closes and its write-ahead log is flushed and closed, the alert router delivers what it holds, and the audit
/// records written so far reach their stores. A failing
/// step does not skip the others; the failures are thrown together at the end.</para>
/// <para>Fail closed: when opening or starting fails (or is cancelled), the gate is shut with
/// <see cref="RuntimeReasons.StartFailed"/> before whatever started is stopped, and the failure is rethrown.</para>
/// </remarks>
public sealed class DegradationRuntime : IAsyncDisposable
{
    private readonly DegradationComposition _composition;
    private readonly SemaphoreSlim _lifecycle = new(1, 1);
    private readonly List<IDisposable> _subscriptions = [];
    private readonly AuditFanOut _audit;
    private volatile RuntimeState _state;
    private bool _alertsStarted;
    private bool _systemStarted;
    private IWalStore? _walStore;
    private WriteBuffer? _writeBuffer;
    private WriteBufferReplayStep? _replay;
    private int _disposed;

    internal DegradationRuntime(DegradationSystem system, DegradationComposition composition)
    {
        System = system;
        _composition = composition;
        Probes = new ProbeRunner(system);
        Recovery = new RecoveryOrchestrator(system);
        Fallbacks = new ComponentFallbackCoordinator(system);
        Health = new HealthReporter(system, Fallbacks);
        Health.Track(Probes); // tells a 503 from a broken component
        _audit = new AuditFanOut(composition.AuditStores, OnAuditFailed);
        // Acknowledgements and escalations are tracked, and audited in every store.
        Alerts = new AlertRouter(null, system.TimeProvider, system.Bus, system.Options.AlertChannels,
            composition.AuditStores.Count > 0 ? _audit : null);
        // For the runtime's whole life (a Halt restored at start runs the actions as soon as the system starts); detached on dispose.
        system.KillSwitch.OutcomeRecorded += OnKillSwitchOutcome;
    }

    /// <summary>
    /// Raised when an audit store refuses or fails a record that is not a transition (for example a store that keeps
    /// transitions only); the record is not in that store. Raised on the thread that wrote the record or the store's
    /// completion; handlers must be short and must not throw. Transition failures are counted by the state machine
    /// (<see cref="DegradationStateMachine.ObserverFailed"/>).
    /// </summary>
    public event Action<AuditRecord, Exception>? AuditFailed;

    /// <summary>The system: gate, state machine, event bus, scopes, kill switch.</summary>
    public DegradationSystem System { get; }

    /// <summary>
    /// Every audit store of the runtime as one store: hand it to a <see cref="FallbackChain"/>,
    /// <see cref="LoadLevelMonitor"/>, <see cref="FeatureDegradationController"/> or <see cref="AlertRouter"/> so their
    /// records reach every store (PostgreSQL included), in order per store. Appending a record returns at once; a store
    /// that refuses or fails it is counted in <see cref="AuditFailures"/>. The stores already get every transition from
    /// the state machine: do not attach this to a state machine as well.
    /// </summary>
    public IAuditStore Audit => _audit;

    /// <summary>Audit records (not transitions) a store of the runtime refused or failed, over every store (see <see cref="AuditFailed"/>).</summary>
    public long AuditFailures => _audit.Failures;

    /// <summary>
    /// Completes when every audit store has handled (stored, refused or failed) every audit record written so far
    /// through <see cref="Audit"/>. <see cref="StopAsync"/> does this too; call it before taking a store away while the runtime runs.
    /// </summary>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> fired first.</exception>
    public Task FlushAuditAsync(CancellationToken cancellationToken = default) => _audit.FlushAsync(cancellationToken);

    /// <summary>The trading gate for the hot path.</summary>
    public TradingGate Gate => System.Gate;

    /// <summary>Runs the registered probes (started last, stopped first).</summary>
    public ProbeRunner Probes { get; }

    /// <summary>Runs the registered recovery steps on every recovery run.</summary>
    public RecoveryOrchestrator Recovery { get; }

    /// <summary>Routes alerts to the registered sinks (started only when there is one).</summary>
    public AlertRouter Alerts { get; }

    /// <summary>Activates the fallback strategies named in the component options.</summary>
    public ComponentFallbackCoordinator Fallbacks { get; }

    /// <summary>Builds health reports over the system, its probes and fallbacks.</summary>
    public HealthReporter Health { get; }

    /// <summary>The write-ahead log of the write buffer; null until opened, or when no write buffer was added.</summary>
    public IWalStore? WalStore => Volatile.Read(ref _walStore);

    /// <summary>The durable write buffer; null until opened, or when none was added.</summary>
    public WriteBuffer? WriteBuffer => Volatile.Read(ref _writeBuffer);

    /// <summary>The recovery step that replays the write buffer; null until opened, or when replay runs outside recovery.</summary>
    public WriteBufferReplayStep? WriteBufferReplay => Volatile.Read(ref _replay);

    /// <summary>True between a successful <see cref="StartAsync"/> and <see cref="StopAsync"/>.</summary>
    public bool IsRunning => _state == RuntimeState.Started;

    /// <summary>
    /// Opens the write-ahead log and the write buffer over it (when a write buffer was added), without starting
    /// anything. Idempotent; <see cref="StartAsync"/> opens when this was not called.
    /// </summary>
    /// <exception cref="InvalidOperationException">The runtime was stopped or failed.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled; the runtime failed closed.</exception>
    public async Task OpenAsync(CancellationToken cancellationToken = default)
    {
        await EnterAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (_state != RuntimeState.Built) return;
            try
            {
                await OpenCoreAsync(cancellationToken).ConfigureAwait(false);
                _state = RuntimeState.Opened;
            }
            catch (Exception ex)
            {
                await FailAsync(ex).ConfigureAwait(false);
                throw;
            }
        }
        finally
        {
            _lifecycle.Release();
        }
    }

    /// <summary>Opens (if needed) and starts everything in order, probes last. Idempotent once started.</summary>
    /// <exception cref="InvalidOperationException">The runtime was stopped or failed (it starts once), or a probe checks another component than it was registered for.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled; the runtime failed closed.</exception>
    public async Task StartAsync(CancellationToken cancellationToken = default)
    {
        await EnterAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (_state == RuntimeState.Started) return;
            try
            {
                if (_state == RuntimeState.Built) await OpenCoreAsync(cancellationToken).ConfigureAwait(false);
                StartCore(cancellationToken);
                _state = RuntimeState.Started;
            }
            catch (Exception ex)
            {
                await FailAsync(ex).ConfigureAwait(false);
                throw;
            }
        }
        finally
        {
            _lifecycle.Release();
        }
    }

    /// <summary>
    /// Stops everything in reverse order: probes, recovery, the event bus (drained), fallbacks, the write buffer and its
    /// write-ahead log (flushed), alerts. Idempotent. Every step runs even when an earlier one failed.
    /// </summary>
    /// <param name="cancellationToken">Bounds the waits (bus drain, log flush, alert delivery); a step cut short counts as failed.</param>
    /// <exception cref="AggregateException">One or more steps failed; each inner exception is a <see cref="DegradationStepException"/> naming its step.</exception>
    public async Task StopAsync(CancellationToken cancellationToken = default)
    {
        await _lifecycle.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (_state is RuntimeState.Stopped or RuntimeState.Failed) return;
            _state = RuntimeState.Stopped;
            var failures = await TearDownAsync(cancellationToken).ConfigureAwait(false);
            if (failures.Count > 0)
                throw new AggregateException($"Stopping the degradation system failed in: {string.Join(", ", failures.Select(f => f.Step))}.", failures);
        }
        finally
        {
            _lifecycle.Release();
        }
    }

    /// <summary>Stops the runtime (see <see cref="StopAsync"/>) and disposes every part. Idempotent.</summary>
    /// <exception cref="AggregateException">A stop step failed (everything was disposed regardless).</exception>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0) return;
        ExceptionDispatchInfo? stopFailure = null;
        try
        {
            await StopAsync().ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            stopFailure = ExceptionDispatchInfo.Capture(ex);
        }
        await Probes.DisposeAsync().ConfigureAwait(false);
        await Recovery.DisposeAsync().ConfigureAwait(false);
        await Alerts.DisposeAsync().ConfigureAwait(false);
        Fallbacks.Dispose();
        await System.DisposeAsync().ConfigureAwait(false);
        System.KillSwitch.OutcomeRecorded -= OnKillSwitchOutcome;
        stopFailure?.Throw();
    }

    private void OnKillSwitchOutcome(KillSwitchActionOutcome outcome)
    {
        if (KillSwitchAudit.ToAuditRecord(outcome) is { } record) _audit.Write(record);
    }

    private void OnAuditFailed(AuditRecord record, Exception error) => AuditFailed?.Invoke(record, error);

    private async Task EnterAsync(CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        await _lifecycle.WaitAsync(cancellationToken).ConfigureAwait(false);
        if (_state is RuntimeState.Stopped or RuntimeState.Failed)
        {
            _lifecycle.Release();
            throw new InvalidOperationException(
                $"The degradation runtime is {(_state == RuntimeState.Failed ? "failed" : "stopped")}: a runtime starts once; build a new one.");
        }
    }

    private async Task OpenCoreAsync(CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        if (_composition.WriteBuffer is not { } registration) return;
        // The store is owned from the moment it exists: a failure below still flushes and closes it.
        var store = await _composition.OpenWalStore!(this, cancellationToken).ConfigureAwait(false)
            ?? throw new InvalidOperationException("The write-ahead log factory returned null.");
        Volatile.Write(ref _walStore, store);
        var target = registration.CreateTarget(this) ?? throw new InvalidOperationException("The write buffer's target factory returned null.");
        var buffer = await WriteBuffer.OpenAsync(System, store, target, cancellationToken).ConfigureAwait(false);
        Volatile.Write(ref _writeBuffer, buffer);
        if (registration.ReplayStage is not null) Volatile.Write(ref _replay, new WriteBufferReplayStep(buffer));
    }

    private void StartCore(CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        foreach (var store in _composition.AuditStores)
        {
            _subscriptions.Add(System.StateMachine.AddAuditStore(store));
            System.Scopes.AddAuditStore(store); // every scope below the process, present and future, tagged with its path
        }
        // Record-only events change no condition, so no transition records them: every store gets them as records.
        if (_composition.AuditStores.Count > 0) _subscriptions.Add(_audit.FollowRecordedEvents(System.Bus));
        StartAlerts();
        foreach (var registration in _composition.RecoverySteps)
        {
            var step = registration.Create(this) ?? throw new InvalidOperationException($"The factory of a recovery step at {registration.Stage} returned null.");
            Recovery.AddStep(registration.Stage, step);
        }
        if (_replay is { } replay) Recovery.AddStep(_composition.WriteBuffer!.ReplayStage!.Value, replay);
        foreach (var registration in _composition.Probes)
        {
            var probe = registration.Create(this) ?? throw new InvalidOperationException($"The probe factory of '{registration.Component}' returned null.");
            if (probe.Component != registration.Component)
                throw new InvalidOperationException($"Probe {probe.GetType().Name} checks '{probe.Component}' but was registered for '{registration.Component}'.");
            Probes.Add(probe, registration.Settings);
        }
        // Last chance to refuse: from here on things run.
        cancellationToken.ThrowIfCancellationRequested();
        Fallbacks.Start();
        Recovery.Start();
        _systemStarted = true;
        System.Start();
        if (Probes.Components.Count > 0) Probes.Start();
    }

    private void StartAlerts()
    {
        if (_composition.AlertSinks.Count == 0 && _composition.AlertChannels.Count == 0) return;
        foreach (var registration in _composition.AlertSinks) _subscriptions.Add(Alerts.AddRoute(registration.Sink, name: registration.Name));
        foreach (var channel in _composition.AlertChannels) _subscriptions.Add(Alerts.AddChannel(channel.Name, channel.Sink));
        Alerts.Start();
        _alertsStarted = true;
        if (System.Options.Alerts.OnUnstable) _subscriptions.Add(new UnstableComponentAlerts(System.StateMachine, Alerts).Attach(System.Bus));
        _subscriptions.Add(TransitionAlerts.Attach(System.StateMachine, Alerts));
    }

    private async Task FailAsync(Exception failure)
    {
        _state = RuntimeState.Failed;
        // Shut the gate first, whatever had started, and say why; then take down what started.
        System.StateMachine.Apply(SystemEvent.Create(System.TimeProvider, EventType.FailCritical, ComponentId.System,
            RuntimeReasons.StartFailed, details: failure.Message));
        var failures = await TearDownAsync(CancellationToken.None).ConfigureAwait(false);
        if (failures.Count > 0)
            throw new AggregateException("Starting the degradation system failed, and so did stopping what had started.", [failure, .. failures]);
    }

    private async Task<List<DegradationStepException>> TearDownAsync(CancellationToken cancellationToken)
    {
        var failures = new List<DegradationStepException>();
        await Step("stop probes", () => Probes.StopAsync()).ConfigureAwait(false);
        await Step("stop recovery", () => Recovery.StopAsync()).ConfigureAwait(false);
        if (_systemStarted) await Step("drain event bus", () => System.StopAsync(cancellationToken)).ConfigureAwait(false);
        else await Step("flush observers", () => System.StateMachine.FlushObserversAsync(cancellationToken)).ConfigureAwait(false); // the audit sees a failed start
        await Step("stop fallbacks", () => { Fallbacks.Dispose(); return Task.CompletedTask; }).ConfigureAwait(false);
        if (WriteBuffer is { } buffer) await Step("close write buffer", () => buffer.DisposeAsync().AsTask()).ConfigureAwait(false);
        if (WalStore is { } store) await Step("flush write-ahead log", () => store.DisposeAsync().AsTask().WaitAsync(cancellationToken)).ConfigureAwait(false);
        if (_alertsStarted) await Step("stop alerts", () => Alerts.StopAsync(cancellationToken)).ConfigureAwait(false);
        // Last: nothing that makes audit records (fallbacks, alert escalations, the bus) runs any more.
        await Step("flush audit", () => _audit.FlushAsync(cancellationToken)).ConfigureAwait(false);
        foreach (var subscription in _subscriptions) subscription.Dispose();
        _subscriptions.Clear();
        return failures;

        async Task Step(string name, Func<Task> step)
        {
            try
            {
                await step().ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is not OutOfMemoryException)
            {
                failures.Add(new DegradationStepException(name, ex));
            }
        }
    }
}
