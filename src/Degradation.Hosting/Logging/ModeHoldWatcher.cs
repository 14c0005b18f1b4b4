using Degradation.Explain;
using Microsoft.Extensions.Logging;

namespace Degradation.Hosting;

/// <summary>
/// Tells the log what keeps a newly started system from trading: at start, a Warning for every critical component
/// without a probe; later, once per component, a Warning when recovery has waited on a critical component that never
/// reported for longer than <see cref="DegradationOptions.NeverReportedWarningSeconds"/>.
/// </summary>
internal sealed class ModeHoldWatcher : IAsyncDisposable
{
    private readonly DegradationSystem _system;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly long _startedAt;
    private readonly HashSet<ComponentId> _warned = [];
    private readonly ITimer _timer;

    public ModeHoldWatcher(DegradationSystem system, IReadOnlyCollection<ComponentId> probed, TimeProvider time, ILogger logger)
    {
        _system = system;
        _time = time;
        _logger = logger;
        _startedAt = time.GetTimestamp();
        foreach (var component in system.StateMachine.GetComponents().Where(c => c.Critical && !probed.Contains(c.Id)).OrderBy(c => c.Id.Name, StringComparer.Ordinal))
            DegradationLog.CriticalWithoutProbe(logger, component.Id.Name);
        var every = TimeSpan.FromSeconds(Math.Min(1, system.Options.NeverReportedWarningSeconds));
        _timer = time.CreateTimer(_ => Check(), null, every, every);
    }

    /// <summary>Looks once; a component is named at most once per process.</summary>
    public void Check()
    {
        var waited = _time.GetElapsedTime(_startedAt);
        if (waited.TotalSeconds < _system.Options.NeverReportedWarningSeconds) return;
        var explanation = _system.StateMachine.ExplainMode();
        foreach (var hold in explanation.Holds)
        {
            if (hold is not { Kind: ModeHoldKind.NeverReported, Component: { } component }) continue;
            lock (_warned)
            {
                if (!_warned.Add(component)) continue;
            }
            DegradationLog.WaitingOnNeverReported(_logger, waited.TotalSeconds, component.Name, DegradationLog.State(explanation.Mode, explanation.Stage));
        }
    }

    public ValueTask DisposeAsync() => _timer.DisposeAsync();
}
