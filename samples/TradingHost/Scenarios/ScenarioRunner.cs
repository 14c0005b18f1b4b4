using System.Diagnostics;
using System.Globalization;
using Degradation;
using Degradation.State;
using TradingHost.Hosting;
using TradingHost.Reporting;
using TradingHost.Simulation;

namespace TradingHost.Scenarios;

/// <summary>How to run the scenarios.</summary>
public sealed record RunnerOptions
{
    /// <summary>
    /// The most simulated seconds per real second. The simulated clock also waits for the work each of its steps sets
    /// off, so a busy machine runs it slower, never into a different outcome.
    /// </summary>
    public double Speed { get; init; } = 40;

    /// <summary>Names of the scenarios to run; every scenario when empty.</summary>
    public IReadOnlyList<string> Scenarios { get; init; } = [];

    /// <summary>Default <see cref="StatusOptions.ComponentTtl"/> override (simulated seconds); larger values tolerate a stalled machine.</summary>
    public int? ComponentStatusTtlSeconds { get; init; }

    /// <summary>Where the live transition log goes.</summary>
    public TextWriter Output { get; init; } = TextWriter.Null;

    /// <summary>Counts the simulated clock's steps across the run (optional): lets a watcher tell a hang from a slow machine.</summary>
    public SimulationProgress? Progress { get; init; }
}

/// <summary>Runs scenarios one after the other, each in a fresh host, and measures what happened.</summary>
public static class ScenarioRunner
{
    public static IReadOnlyList<Scenario> All { get; } = ScenarioCatalog.Create();

    /// <exception cref="ArgumentException">A scenario name is unknown (the message lists the known ones).</exception>
    public static IReadOnlyList<Scenario> Select(IReadOnlyList<string> names)
    {
        if (names.Count == 0) return All;
        var selected = new List<Scenario>();
        foreach (var name in names)
        {
            var scenario = All.FirstOrDefault(s => string.Equals(s.Name, name, StringComparison.OrdinalIgnoreCase))
                ?? throw new ArgumentException($"Unknown scenario '{name}'. Known: {string.Join(", ", All.Select(s => s.Name))}.");
            selected.Add(scenario);
        }
        return selected;
    }

    public static async Task<IReadOnlyList<ScenarioResult>> RunAsync(RunnerOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        var scenarios = Select(options.Scenarios);
        var results = new List<ScenarioResult>();
        foreach (var scenario in scenarios)
            results.Add(await RunOneAsync(scenario, options, cancellationToken, printColdStart: results.Count == 0));
        return results;
    }

    public static async Task<ScenarioResult> RunOneAsync(Scenario scenario, RunnerOptions options, CancellationToken cancellationToken = default, bool printColdStart = true)
    {
        var output = options.Output;
        var result = new ScenarioResult { Name = scenario.Name, Description = scenario.Description };
        result.ExpectedTransitions.AddRange(scenario.ExpectedTransitions);
        var clock = Stopwatch.StartNew();
        output.WriteLine();
        output.WriteLine($"== {scenario.Name}: {scenario.Description}");
        void Configure(DegradationOptions o)
        {
            if (options.ComponentStatusTtlSeconds is { } ttl) o.Status.ComponentTtl = TimeSpan.FromSeconds(ttl);
            scenario.Configure(o);
        }
        var environment = await TradingEnvironment.StartAsync(options.Speed, Configure, output, cancellationToken, printColdStart, options.Progress);
        try
        {
            var context = new ScenarioContext(environment, result);
            if (await context.WaitForModeAsync(SystemMode.Normal, cancellationToken))
            {
                environment.BeginScenario();
                environment.Log($"cold start passed the recovery run in {environment.ColdStartDuration.TotalSeconds:0.0} s; trading, gate checked for every decision ({environment.Strategy.DecisionsPerSecond:N0} per simulated second)");
                var tradingClock = Stopwatch.StartNew();
                var tradingStart = environment.Time.GetTimestamp();
                environment.Strategy.Start();
                await using (new TimelineRecorder(environment, result.Timeline))
                {
                    try
                    {
                        await scenario.RunAsync(context, cancellationToken);
                    }
                    catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
                    {
                        result.Expect(false, $"the scenario threw {ex.GetType().Name}: {ex.Message}");
                    }
                    environment.Strategy.Stop();
                    result.DecisionsPerSecond = environment.Strategy.Decisions / tradingClock.Elapsed.TotalSeconds;
                    result.DecisionsPerSimulatedSecond = environment.Strategy.Decisions / environment.Time.GetElapsedTime(tradingStart).TotalSeconds;
                    await FlushWritesAsync(environment, result, cancellationToken);
                }
                await MeasureAsync(environment, context, result, cancellationToken);
            }
        }
        finally
        {
            await environment.DisposeAsync();
        }
        result.RealSeconds = clock.Elapsed.TotalSeconds;
        result.ExpectationMet = result.Failures.Count == 0;
        foreach (var note in result.Notes) output.WriteLine($"   note: {note}");
        output.WriteLine($"   {(result.ExpectationMet ? "expectation met" : "EXPECTATION NOT MET: " + string.Join("; ", result.Failures))} ({result.RealSeconds:0.0} s real)");
        return result;
    }

    private static async Task FlushWritesAsync(TradingEnvironment environment, ScenarioResult result, CancellationToken cancellationToken)
    {
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        limit.CancelAfter(TimeSpan.FromSeconds(10));
        try
        {
            await environment.Writer.FlushAsync(TimeSpan.FromMilliseconds(5), limit.Token);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            result.Expect(false, $"{environment.Writer.Pending} database writes still pending 10 s after the scenario ended");
        }
    }

    private static async Task MeasureAsync(TradingEnvironment env, ScenarioContext context, ScenarioResult result, CancellationToken cancellationToken)
    {
        var transitions = await env.GetScenarioTransitionsAsync(cancellationToken);
        result.Transitions.AddRange(transitions.Select(Format));
        foreach (var t in transitions)
            result.Timeline.Add(new TimelineTransition(env.SimSeconds(t.Timestamp), ScenarioContext.Describe(t.To, t.ToStage), t.Reason.ToString()));
        if (context.FaultAt is { } faultAt
            && transitions.FirstOrDefault(t => t.Timestamp >= faultAt && !PermissionMatrix.IsAllowed(t.To, t.ToStage, ActionType.Send)) is { } closed)
            result.FaultToGateClosedMs = env.Time.GetElapsedTime(faultAt, closed.Timestamp).TotalMilliseconds;
        if (context.ClearedAt is { } clearedAt
            && transitions.FirstOrDefault(t => t.Timestamp >= clearedAt && t.To is SystemMode.Normal or SystemMode.Degraded) is { } reopened)
            result.RecoveryMs = env.Time.GetElapsedTime(clearedAt, reopened.Timestamp).TotalMilliseconds;

        var stats = env.Strategy.Stats;
        foreach (var mode in Enum.GetValues<SystemMode>())
        {
            if (stats.Allowed(mode) > 0) result.AllowedByMode[mode.ToString()] = stats.Allowed(mode);
            if (stats.Refused(mode) > 0) result.RefusedByMode[mode.ToString()] = stats.Refused(mode);
        }

        var writer = env.Writer;
        result.EntriesBuffered = writer.Buffered;
        result.EntriesReplayed = writer.Replayed;
        result.EntriesLost = writer.Produced - env.Database.Rows;
        result.DuplicateRows = env.Database.Duplicates;
        result.DuplicateOrders = env.Broker.DuplicateSubmissions;
        result.AllowedAfterMustDeliver = env.Strategy.FenceViolations;
        result.SendsCheckedAfterFence = env.Strategy.SendsCheckedAfterFence;
        var keys = env.Database.Keys;
        result.RowsInOrder = keys.Zip(keys.Skip(1)).All(p => string.CompareOrdinal(p.First, p.Second) < 0);
        if (env.Time.UnsettledSteps > 0)
            result.Notes.Add($"{env.Time.UnsettledSteps:N0} of {env.Time.Steps:N0} clock steps were taken before the work of the previous one had finished (a machine too busy to settle within {VirtualClock.MaxSettle.TotalMilliseconds:0} ms)");
        if (writer.RefusedByBuffer > 0) result.Notes.Add($"{writer.RefusedByBuffer} writes refused at the buffer bound were held in memory and written later");

        result.Expect(result.EntriesLost == 0, $"{result.EntriesLost} database writes lost ({writer.Produced} produced, {env.Database.Rows} in the database)");
        result.Expect(result.DuplicateRows == 0, $"{result.DuplicateRows} duplicate database rows");
        result.Expect(result.DuplicateOrders == 0, $"{result.DuplicateOrders} orders reached the broker twice");
        result.Expect(result.RowsInOrder, "database rows are not in order");
        result.Expect(result.AllowedAfterMustDeliver == 0, $"{result.AllowedAfterMustDeliver} sends were allowed after a must-deliver event returned");
        result.Expect(result.EntriesReplayed == result.EntriesBuffered, $"{result.EntriesBuffered} writes buffered but {result.EntriesReplayed} replayed");
        result.Expect(env.Gate.Mode == SystemMode.Normal, $"the scenario ended in {ScenarioContext.Describe(env.Gate.Mode, env.Gate.Stage)}, not Normal");
        // Real throughput depends on the machine, not on the library's guarantees: reported, never a failed expectation.
        if (result.DecisionsPerSecond < env.Strategy.DecisionsPerSecond * env.Time.Speed / 2)
            result.Notes.Add($"only {result.DecisionsPerSecond:N0} order decisions per real second: the simulated clock ran at less than half of x{env.Time.Speed:0.#} (a busy machine)");
        CompareTransitions(result);
    }

    private static void CompareTransitions(ScenarioResult result)
    {
        var expected = result.ExpectedTransitions;
        var actual = result.Transitions;
        var same = expected.Count == actual.Count && expected.Zip(actual).All(p => Matches(p.First, p.Second));
        if (!same)
            result.Expect(false, $"transitions differ: expected [{string.Join(", ", expected)}], got [{string.Join(", ", actual)}]");
    }

    /// <summary>True when a recorded <c>Mode[/Stage]:reason</c> matches an expected <c>Mode[/Stage][:reason]</c>.</summary>
    public static bool Matches(string expected, string actual)
    {
        var colon = expected.IndexOf(':', StringComparison.Ordinal);
        return colon < 0
            ? string.Equals(expected, actual[..actual.IndexOf(':', StringComparison.Ordinal)], StringComparison.Ordinal)
            : string.Equals(expected, actual, StringComparison.Ordinal);
    }

    public static string Format(ModeTransition t) =>
        string.Create(CultureInfo.InvariantCulture, $"{ScenarioContext.Describe(t.To, t.ToStage)}:{t.Reason}");
}
