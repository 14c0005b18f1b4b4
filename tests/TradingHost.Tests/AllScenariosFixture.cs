using System.Diagnostics;
using TradingHost.Scenarios;
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

    public async Task InitializeAsync()
    {
        var clock = Stopwatch.StartNew();
        // A guard against a hung run only: its expiry fails every scenario test.
        using var limit = new CancellationTokenSource(TimeSpan.FromMinutes(10));
        Results = await ScenarioRunner.RunAsync(new RunnerOptions
        {
            Speed = Speed,
            Output = TextWriter.Synchronized(_log),
        }, limit.Token);
        Elapsed = clock.Elapsed;
    }

    public Task DisposeAsync() => Task.CompletedTask;

    public ScenarioResult Get(string name) => Results.Single(r => r.Name == name);
}
