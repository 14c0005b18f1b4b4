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

    /// <summary>How long the simulated clock may stand still before the run counts as hung.</summary>
    public static readonly TimeSpan HangAfter = TimeSpan.FromMinutes(3);

    public async Task InitializeAsync()
    {
        var clock = Stopwatch.StartNew();
        var progress = new SimulationProgress();
        // A guard against a hung run only, never against a slow one: a busy machine slows the simulated clock down, a
        // hang stops it. Its expiry fails every scenario test.
        using var hung = new CancellationTokenSource();
        using var watching = new CancellationTokenSource();
        var watchdog = WatchAsync(progress, hung, watching.Token);
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
            throw new TimeoutException($"The simulated clock stood still for {HangAfter.TotalMinutes} minutes at step {progress.Steps}: the run hung. Log so far:{Environment.NewLine}{Log}");
        }
        finally
        {
            await watching.CancelAsync();
            await watchdog;
        }
        Elapsed = clock.Elapsed;
    }

    private static async Task WatchAsync(SimulationProgress progress, CancellationTokenSource hung, CancellationToken stop)
    {
        var last = progress.Steps;
        var stillSince = Stopwatch.StartNew();
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(5));
        try
        {
            while (await timer.WaitForNextTickAsync(stop))
            {
                var now = progress.Steps;
                if (now != last)
                {
                    last = now;
                    stillSince.Restart();
                }
                else if (stillSince.Elapsed >= HangAfter)
                {
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
