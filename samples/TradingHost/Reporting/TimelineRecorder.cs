using TradingHost.Hosting;
using TradingHost.Scenarios;

namespace TradingHost.Reporting;

/// <summary>
/// Samples a running scenario every <see cref="Interval"/> of simulated time (mode, decisions, buffered and replayed
/// writes) into its <see cref="ScenarioTimeline"/>, until disposed.
/// </summary>
public sealed class TimelineRecorder : IAsyncDisposable
{
    /// <summary>Simulated time between two samples.</summary>
    public static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(250);

    private readonly TradingEnvironment _env;
    private readonly ScenarioTimeline _timeline;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;

    public TimelineRecorder(TradingEnvironment environment, ScenarioTimeline timeline)
    {
        _env = environment;
        _timeline = timeline;
        Sample();
        _loop = RunAsync(_stop.Token);
    }

    private async Task RunAsync(CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(Interval, _env.Time);
        try
        {
            while (await timer.WaitForNextTickAsync(cancellationToken)) Sample();
        }
        catch (OperationCanceledException)
        {
        }
    }

    private void Sample()
    {
        var stats = _env.Strategy.Stats;
        _timeline.Add(new TimelineSample(
            _env.SimSeconds(_env.Time.GetTimestamp()),
            ScenarioContext.Describe(_env.Gate.Mode, _env.Gate.Stage),
            stats.TotalAllowed, stats.TotalRefused, _env.Writer.Buffered, _env.Writer.Replayed));
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await _loop;
        Sample();
        _stop.Dispose();
    }
}
