using Degradation.Alerts;
using Degradation.Audit;
using Degradation.Buffering;
using Degradation.Events;
using Degradation.Health;
using Degradation.KillSwitches;
using Degradation.Probes;
using Degradation.Recovery;
using Degradation.State;
using Degradation.Storage.File;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Degradation.Hosting;

/// <summary>
/// Starts the degradation system with the host — observers for logs, metrics, audit and alerts, the recovery
/// orchestrator with its steps, the event bus and re-evaluation timer, and the probes — and, on shutdown,
/// stops probes and recovery, drains the bus, and flushes and closes the write buffer and its WAL within the
/// host's shutdown timeout.
/// </summary>
internal sealed class DegradationHostedService(
    IServiceProvider services,
    DegradationSystem system,
    DegradationMetrics metrics,
    TimeProvider timeProvider,
    ILogger<DegradationHostedService>? logger = null) : IHostedService
{
    private readonly ILogger _logger = logger ?? (ILogger)NullLogger.Instance;
    private readonly List<IDisposable> _subscriptions = [];
    private ProbeRunner? _probes;
    private RecoveryOrchestrator? _recovery;
    private AlertRouter? _alerts;
    private WriteBuffer? _buffer;
    private ITimer? _dropReporter;
    private ModeHoldWatcher? _holdWatcher;
    private long _reportedDrops;
    private DroppedEventFile? _dropFile;
    private readonly object _dropLock = new();

    public Task StartAsync(CancellationToken cancellationToken)
    {
        _subscriptions.Add(system.StateMachine.SubscribeTransitions(t =>
        {
            DegradationLog.Transition(_logger, t);
            metrics.RecordTransition(t);
        }));
        foreach (var store in services.GetServices<IAuditStore>()) _subscriptions.Add(system.StateMachine.AddAuditStore(store));
        system.StateMachine.ObserverFailed += OnObserverFailed;
        _auditTrail = services.GetService<AuditTrail>();
        system.KillSwitch.OutcomeRecorded += OnKillSwitchOutcome;
        system.Bus.HandlerFailed += OnHandlerFailed;

        DegradationLog.Started(_logger, DegradationLog.State(system.Gate.Mode, system.Gate.Stage));
        foreach (var loosened in system.Policy.LoosenedReasons) DegradationLog.DecisionMatrixLoosened(_logger, loosened);
        StartAlerts();
        _recovery = services.GetRequiredService<RecoveryOrchestrator>();
        _subscriptions.Add(metrics.Track(_recovery));
        foreach (var registration in services.GetServices<RecoveryStepRegistration>())
            _recovery.AddStep(registration.Stage, (IRecoveryStep)services.GetRequiredService(registration.StepType));
        if (services.GetService<WriteBufferRegistration>() is { } bufferRegistration)
        {
            if (services.GetService<WalStoreChoice>() is { } choice)
            {
                if (choice.InMemory) DegradationLog.InMemoryWal(_logger);
                else if (choice.IsDefault && services.GetRequiredService<IWalStore>() is FileWalStore file) DegradationLog.DefaultFileWal(_logger, file.DirectoryPath);
            }
            _buffer = services.GetRequiredService<WriteBuffer>();
            var buffer = _buffer;
            metrics.AddObservableGauge("degradation.buffer.depth", () => buffer.Count, "{entry}", "Writes buffered and not yet replayed.");
            metrics.AddObservableGauge("degradation.buffer.bytes", () => buffer.Bytes, "By", "Payload bytes buffered and not yet replayed.");
            if (bufferRegistration.ReplayStage is { } stage)
            {
                var replay = new WriteBufferReplayStep(buffer);
                _subscriptions.Add(metrics.Track(replay));
                _recovery.AddStep(stage, replay);
            }
        }
        services.GetRequiredService<ComponentFallbackCoordinator>().Start();
        _recovery.Start();
        system.Start();

        _probes = services.GetRequiredService<ProbeRunner>();
        _subscriptions.Add(metrics.Track(_probes));
        foreach (var registration in services.GetServices<ProbeRegistration>())
        {
            var probe = (IProbe)services.GetRequiredService(registration.ProbeType);
            if (probe.Component != registration.Component)
                throw new InvalidOperationException($"Probe {registration.ProbeType.Name} checks '{probe.Component}' but was registered for '{registration.Component}'.");
            _probes.Add(probe, registration.Settings);
        }
        if (_probes.Components.Count > 0) _probes.Start();
        _holdWatcher = new ModeHoldWatcher(system, _probes.Components, timeProvider, _logger);

        if (services.GetService<DroppedEventFileRegistration>() is { } dropFile) _dropFile = new DroppedEventFile(dropFile.Path);
        _dropReporter = timeProvider.CreateTimer(_ => ReportDrops(), null, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(1));
        return Task.CompletedTask;
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (_dropReporter is not null) await _dropReporter.DisposeAsync().ConfigureAwait(false);
        if (_holdWatcher is not null) await _holdWatcher.DisposeAsync().ConfigureAwait(false);
        await Step("stop probes", () => _probes?.StopAsync() ?? Task.CompletedTask).ConfigureAwait(false);
        await Step("stop recovery", () => _recovery?.StopAsync() ?? Task.CompletedTask).ConfigureAwait(false);
        await Step("drain event bus", () => system.StopAsync(cancellationToken)).ConfigureAwait(false);
        if (_buffer is not null)
        {
            var buffer = _buffer;
            await Step("close write buffer", () => buffer.DisposeAsync().AsTask()).ConfigureAwait(false);
            if (services.GetService<IWalStore>() is { } store)
                await Step("flush write-ahead log", () => store.DisposeAsync().AsTask().WaitAsync(cancellationToken)).ConfigureAwait(false);
        }
        await Step("stop alerts", () => _alerts?.StopAsync(cancellationToken) ?? Task.CompletedTask).ConfigureAwait(false);
        ReportDrops();
        DegradationLog.Stopped(_logger, system.Gate.Mode, system.Bus.ProcessedCount, system.Bus.DroppedCount);
        system.StateMachine.ObserverFailed -= OnObserverFailed;
        system.KillSwitch.OutcomeRecorded -= OnKillSwitchOutcome;
        system.Bus.HandlerFailed -= OnHandlerFailed;
        foreach (var subscription in _subscriptions) subscription.Dispose();
        _subscriptions.Clear();
    }

    private void StartAlerts()
    {
        var sinks = services.GetServices<IAlertSink>().ToList();
        if (sinks.Count == 0) return;
        _alerts = services.GetRequiredService<AlertRouter>();
        foreach (var sink in sinks) _alerts.AddRoute(sink, name: sink.GetType().Name);
        _alerts.Start();
        var alerts = _alerts;
        if (system.Options.AlertOnUnstable)
            _subscriptions.Add(new UnstableComponentAlerts(system.StateMachine, alerts).Attach(system.Bus));
        _subscriptions.Add(system.StateMachine.SubscribeTransitions(t =>
        {
            if (t.Kind == TransitionKind.StageChange || t.From == t.To && t.Kind == TransitionKind.ModeChange) return;
            var severity = t.To >= SystemMode.SafeMode ? Severity.Critical : t.IsEscalation ? Severity.Warning : Severity.Info;
            alerts.Publish(severity, AlertAudiences.Operators, $"Trading mode {WireNames.Of(t.From)} -> {WireNames.Of(t.To)}",
                $"{t.Reason} on {t.Component}{(t.OperatorId is null ? "" : " by " + t.OperatorId)}", t.Component, t.Reason);
        }));
    }

    private async Task Step(string name, Func<Task> step)
    {
        try
        {
            await step().ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            DegradationLog.ShutdownStepFailed(_logger, ex, name);
        }
    }

    private void ReportDrops()
    {
        var total = system.Bus.DroppedCount;
        var previous = Interlocked.Exchange(ref _reportedDrops, total);
        if (total > previous) DegradationLog.EventsDropped(_logger, total - previous, total);
        if (_dropFile is null) return;
        lock (_dropLock)
        {
            try
            {
                _dropFile.Append(system.Bus.DroppedEvents);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                DegradationLog.DroppedEventFileFailed(_logger, ex, _dropFile.Path);
            }
        }
    }

    private AuditTrail? _auditTrail;

    private void OnKillSwitchOutcome(KillSwitchActionOutcome outcome)
    {
        if (outcome.Status == KillSwitchActionStatus.Running) return;
        if (outcome.Status == KillSwitchActionStatus.Succeeded)
            DegradationLog.KillSwitchActionFinished(_logger, outcome.Name, outcome.HaltSequence, outcome.Status, outcome.Details);
        else
            DegradationLog.KillSwitchActionFailed(_logger, outcome.Name, outcome.HaltSequence, outcome.Status, outcome.Details);
        _auditTrail?.Append(AuditEntryKind.OperatorAction, "kill_switch_action", operatorId: null, to: outcome.Status.ToString(),
            reason: outcome.Name, details: $"halt #{outcome.HaltSequence}{(outcome.Details is null ? "" : ": " + outcome.Details)}", wallTime: outcome.CompletedAt);
    }

    private void OnObserverFailed(ModeTransition transition, Exception exception) => DegradationLog.ObserverFailed(_logger, exception, transition.Sequence);

    private void OnHandlerFailed(SystemEvent e, Exception exception) => DegradationLog.HandlerFailed(_logger, exception, e.Reason.Value, e.Component.Name);
}
