using System.Diagnostics;
using TradingHost.Scenarios;
using TradingHost.Simulation;
using Xunit;

namespace TradingHost.Tests;

/// <summary>Runs every scenario once, in process, exactly as <c>dotnet run</c> does, and keeps the results for the tests.</summary>
public sealed class AllScenariosFixture : IAsyncLifetime
{
    /// <summary>
    /// The default speed, as <c>dotnet run</c> uses: the simulated clock waits for the work each step sets off, so a
    /// stalled shared CI machine slows the run down instead of looking like a dependency outage.
    /// </summary>
    public const double Speed = 40;

    private readonly StringWriter _log = new();

    public IReadOnlyList<ScenarioResult> Results { get; private set; } = [];
    public TimeSpan Elapsed { get; private set; }
    public string Log => _log.ToString();

    /// <summary>How long the simulated clock may stand still, or every step go unsettled, before the run counts as hung.</summary>
    public static readonly TimeSpan HangAfter = TimeSpan.FromMinutes(3);

    public async Task InitializeAsync()
    {
        var clock = Stopwatch.StartNew();
        var progress = new SimulationProgress();
        // A guard against a hung or stalled run only, never against a slow one (see SimulationWatch). Its expiry fails
        // every scenario test, saying why.
        using var hung = new CancellationTokenSource();
        using var watching = new CancellationTokenSource();
        string? why = null;
        var watchdog = WatchAsync(new SimulationWatch(progress, HangAfter), reason => why = reason, hung, watching.Token);
        try
        {
            Results = await ScenarioRunner.RunAsync(new RunnerOptions
            {
                Speed = Speed,
                Output = TextWriter.Synchronized(_log),
                Progress = progress,
            }, hung.Token);
        }
        catch (OperationCanceledException) when (hung.IsCancellationRequested)
        {
            throw new TimeoutException($"{why} Log so far:{Environment.NewLine}{Log}");
        }
        finally
        {
            await watching.CancelAsync();
            await watchdog;
        }
        Elapsed = clock.Elapsed;
    }

    private static async Task WatchAsync(SimulationWatch watch, Action<string> report, CancellationTokenSource hung, CancellationToken stop)
    {
        var since = Stopwatch.StartNew();
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(5));
        try
        {
            while (await timer.WaitForNextTickAsync(stop))
            {
                if (watch.Check(since.Elapsed) is { } reason)
                {
                    report(reason);
                    await hung.CancelAsync();
                    return;
                }
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            // the run finished
        }
    }

    public Task DisposeAsync() => Task.CompletedTask;

    public ScenarioResult Get(string name) => Results.Single(r => r.Name == name);
}
