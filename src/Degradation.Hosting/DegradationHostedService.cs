using Degradation.Alerts;
using Degradation.Audit;
using Degradation.Buffering;
using Degradation.Composition;
using Degradation.Events;
using Degradation.KillSwitches;
using Degradation.State;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Degradation.Hosting;

/// <summary>
/// Runs the <see cref="DegradationRuntime"/> with the host — it owns the start and stop order (stores, audit, alerts,
/// recovery, event bus, probes last; probes first on the way down, the write buffer and its WAL flushed within the
/// host's shutdown timeout) — and adds what a host wants around it: logs, metrics, the mode-hold watcher, the
/// dropped-event file, and logs of kill-switch outcomes and audit failures (the runtime audits them in every store).
/// </summary>
internal sealed class DegradationHostedService(
    IServiceProvider services,
    DegradationRuntime runtime,
    DegradationComposer composer,
    DegradationMetrics metrics,
    TimeProvider timeProvider,
    ILogger<DegradationHostedService>? logger = null) : IHostedService
{
    private readonly ILogger _logger = logger ?? (ILogger)NullLogger.Instance;
    private readonly List<IDisposable> _subscriptions = [];
    private readonly DegradationSystem _system = runtime.System;
    private ITimer? _dropReporter;
    private ModeHoldWatcher? _holdWatcher;
    private long _reportedDrops;
    private DroppedEventFile? _dropFile;
    private readonly object _dropLock = new();

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        _subscriptions.Add(_system.StateMachine.SubscribeTransitions(t => DegradationLog.Transition(_logger, t)));
        // Every scope's transitions (the process's included, present and future scopes), tagged with the scope.
        _subscriptions.Add(_system.Scopes.SubscribeTransitions(t => metrics.RecordTransition(t.Transition)));
        _system.StateMachine.ObserverFailed += OnObserverFailed;
        runtime.AuditFailed += OnAuditFailed;
        _system.KillSwitch.OutcomeRecorded += OnKillSwitchOutcome;
        _system.Bus.HandlerFailed += OnHandlerFailed;

        DegradationLog.Started(_logger, DegradationLog.State(_system.Gate.Mode, _system.Gate.Stage));
        foreach (var loosened in _system.Policy.LoosenedReasons) DegradationLog.DecisionMatrixLoosened(_logger, loosened);
        _subscriptions.Add(metrics.Track(runtime.Recovery));
        _subscriptions.Add(metrics.Track(runtime.Probes));

        await runtime.OpenAsync(cancellationToken).ConfigureAwait(false);
        if (runtime.WalStore is InMemoryWalStore) DegradationLog.InMemoryWal(_logger);
        else if (composer.DefaultWalDirectory is { } directory) DegradationLog.DefaultFileWal(_logger, directory);
        if (runtime.WriteBuffer is { } buffer)
        {
            metrics.AddObservableGauge("degradation.buffer.depth", () => buffer.Count, "{entry}", "Writes buffered and not yet replayed.");
            metrics.AddObservableGauge("degradation.buffer.bytes", () => buffer.Bytes, "By", "Payload bytes buffered and not yet replayed.");
        }
        if (runtime.WriteBufferReplay is { } replay) _subscriptions.Add(metrics.Track(replay));

        await runtime.StartAsync(cancellationToken).ConfigureAwait(false);
        if (runtime.Alerts.TracksAcknowledgements && runtime.Alerts.GetRoutes().Count > 0) TrackAlerts(runtime.Alerts);

        _holdWatcher = new ModeHoldWatcher(_system, runtime.Probes.Components, timeProvider, _logger);
        if (services.GetService<DroppedEventFileRegistration>() is { } dropFile) _dropFile = new DroppedEventFile(dropFile.Path);
        _dropReporter = timeProvider.CreateTimer(_ => ReportDrops(), null, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(1));
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (_dropReporter is not null) await _dropReporter.DisposeAsync().ConfigureAwait(false);
        if (_holdWatcher is not null) await _holdWatcher.DisposeAsync().ConfigureAwait(false);
        try
        {
            await runtime.StopAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (AggregateException failures)
        {
            foreach (var failure in failures.InnerExceptions)
            {
                if (failure is DegradationStepException step) DegradationLog.ShutdownStepFailed(_logger, step.InnerException ?? step, step.Step);
                else DegradationLog.ShutdownStepFailed(_logger, failure, "stop");
            }
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            DegradationLog.ShutdownStepFailed(_logger, ex, "stop");
        }
        ReportDrops();
        DegradationLog.Stopped(_logger, _system.Gate.Mode, _system.Bus.ProcessedCount, _system.Bus.DroppedCount);
        _system.StateMachine.ObserverFailed -= OnObserverFailed;
        _system.KillSwitch.OutcomeRecorded -= OnKillSwitchOutcome;
        runtime.AuditFailed -= OnAuditFailed;
        _system.Bus.HandlerFailed -= OnHandlerFailed;
        foreach (var subscription in _subscriptions) subscription.Dispose();
        _subscriptions.Clear();
    }

    private void ReportDrops()
    {
        var total = _system.Bus.DroppedCount;
        var previous = Interlocked.Exchange(ref _reportedDrops, total);
        if (total > previous) DegradationLog.EventsDropped(_logger, total - previous, total);
        if (_dropFile is null) return;
        lock (_dropLock)
        {
            try
            {
                _dropFile.Append(_system.Bus.DroppedEvents);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                DegradationLog.DroppedEventFileFailed(_logger, ex, _dropFile.Path);
            }
        }
    }

    private void OnKillSwitchOutcome(KillSwitchActionOutcome outcome)
    {
        if (outcome.Status == KillSwitchActionStatus.Running) return;
        if (outcome.Status == KillSwitchActionStatus.Succeeded)
            DegradationLog.KillSwitchActionFinished(_logger, outcome.Name, outcome.HaltSequence, outcome.Status, outcome.Details);
        else
            DegradationLog.KillSwitchActionFailed(_logger, outcome.Name, outcome.HaltSequence, outcome.Status, outcome.Details);
    }

    private void OnAuditFailed(AuditRecord record, Exception exception) => DegradationLog.AuditRecordFailed(_logger, exception, record.Action, record.Kind);

    private void OnObserverFailed(ModeTransition transition, Exception exception) => DegradationLog.ObserverFailed(_logger, exception, transition.Sequence);

    private void OnHandlerFailed(SystemEvent e, Exception exception) => DegradationLog.HandlerFailed(_logger, exception, e.Reason.Value, e.Component.Name);

    private void TrackAlerts(AlertRouter alerts)
    {
        metrics.AddObservableGauge("degradation.alerts.unacknowledged", () => alerts.UnacknowledgedCount, "{alert}",
            "Alerts waiting for an operator's acknowledgement (escalated or not).");
        metrics.AddObservableCounter("degradation.alerts.acknowledged", () => alerts.AcknowledgedCount, "{alert}",
            "Alerts operators acknowledged.");
        metrics.AddObservableCounter("degradation.alerts.escalations", () => alerts.EscalatedCount, "{alert}",
            "Alerts not acknowledged within their severity's deadline and re-sent to the escalation channel.");
    }
}
