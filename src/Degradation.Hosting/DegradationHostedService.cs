using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Degradation.Hosting;

/// <summary>
/// Starts the degradation system with the host (bus, re-evaluation timer, observers for logs, metrics and
/// audit) and, on shutdown, drains the bus and flushes observers within the host's shutdown timeout.
/// </summary>
internal sealed class DegradationHostedService(
    DegradationSystem system,
    DegradationMetrics metrics,
    IEnumerable<IAuditStore> auditStores,
    TimeProvider timeProvider,
    ILogger<DegradationHostedService>? logger = null) : IHostedService
{
    private readonly ILogger _logger = logger ?? (ILogger)NullLogger.Instance;
    private readonly List<IDisposable> _subscriptions = [];
    private ITimer? _dropReporter;
    private long _reportedDrops;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        _subscriptions.Add(system.StateMachine.SubscribeTransitions(t =>
        {
            DegradationLog.Transition(_logger, t);
            metrics.RecordTransition(t);
        }));
        foreach (var store in auditStores) _subscriptions.Add(system.StateMachine.AddAuditStore(store));
        system.StateMachine.ObserverFailed += OnObserverFailed;
        system.Bus.HandlerFailed += OnHandlerFailed;
        system.Start();
        _dropReporter = timeProvider.CreateTimer(_ => ReportDrops(), null, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(1));
        DegradationLog.Started(_logger, system.Gate.Mode, system.Gate.Stage);
        return Task.CompletedTask;
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (_dropReporter is not null) await _dropReporter.DisposeAsync().ConfigureAwait(false);
        try
        {
            await system.StopAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is OperationCanceledException or TimeoutException)
        {
            DegradationLog.ShutdownStepFailed(_logger, ex, "drain event bus");
        }
        ReportDrops();
        DegradationLog.Stopped(_logger, system.Gate.Mode, system.Bus.ProcessedCount, system.Bus.DroppedCount);
        system.StateMachine.ObserverFailed -= OnObserverFailed;
        system.Bus.HandlerFailed -= OnHandlerFailed;
        foreach (var subscription in _subscriptions) subscription.Dispose();
        _subscriptions.Clear();
    }

    private void ReportDrops()
    {
        var total = system.Bus.DroppedCount;
        var previous = Interlocked.Exchange(ref _reportedDrops, total);
        if (total > previous) DegradationLog.EventsDropped(_logger, total - previous, total);
    }

    private void OnObserverFailed(ModeTransition transition, Exception exception) => DegradationLog.ObserverFailed(_logger, exception, transition.Sequence);

    private void OnHandlerFailed(SystemEvent e, Exception exception) => DegradationLog.HandlerFailed(_logger, exception, e.Reason.Value, e.Component.Name);
}
