using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;
using Degradation.Storage.Postgres;
using Xunit.Abstractions;

namespace Degradation.Tests.Postgres;

/// <summary>
/// The fleet as separate OS processes (samples/FleetCli <c>run</c>): each starts a DegradationSystem, reaches
/// Normal, follows the fleet policy and prints its gate changes with monotonic timestamps
/// (<see cref="Stopwatch.GetTimestamp"/> is CLOCK_MONOTONIC on Linux, so they compare across processes).
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed partial class FleetProcessTests(PostgresServer server, ITestOutputHelper output) : IAsyncLifetime
{
    private static readonly TimeSpan StartupWait = TimeSpan.FromSeconds(90);
    // Hang guards only (expiry fails the test); nothing here bounds latency.
    private static readonly TimeSpan CommandWait = TimeSpan.FromSeconds(60);
    private readonly string _schema = PostgresServer.NewSchema();
    private readonly List<FleetCliProcess> _children = [];

    public async Task InitializeAsync() => await PostgresSchema.MigrateAsync(server.ConnectionString, _schema);

    public async Task DisposeAsync()
    {
        foreach (var child in _children) await child.DisposeAsync();
    }

    private async Task<List<FleetCliProcess>> StartFleetAsync(params string[][] extraArguments)
    {
        var started = extraArguments.Select((extra, i) =>
        {
            var child = FleetCliProcess.Start($"trader-{i}", ["run", "--connection", server.ConnectionString, "--schema", _schema, "--process-id", $"trader-{i}",
                "--heartbeat-ms", "200", "--query-timeout-ms", "1000", "--loss-timeout-ms", "2000", .. extra]);
            _children.Add(child);
            return child;
        }).ToList();
        await Task.WhenAll(started.Select(c => c.WaitForLineAsync(l => l == "READY", StartupWait, what: "READY")));
        return started;
    }

    private static Func<string, bool> GateClosedBy(Guid commandId) =>
        l => l.StartsWith("MODE ", StringComparison.Ordinal) && l.Contains("gate=closed", StringComparison.Ordinal) && l.Contains(commandId.ToString(), StringComparison.Ordinal);

    private static Func<string, bool> AppliedLine(Guid commandId) =>
        l => l.StartsWith("APPLIED ", StringComparison.Ordinal) && l.Contains($" id={commandId} ", StringComparison.Ordinal);

    private static bool IsNormal(string line) => line.StartsWith("MODE ", StringComparison.Ordinal) && line.Contains(" to=Normal ", StringComparison.Ordinal);

    private static long Timestamp(string line) => long.Parse(TimestampPattern().Match(line).Groups[1].Value, CultureInfo.InvariantCulture);

    [GeneratedRegex(@"\bts=(\d+)")]
    private static partial Regex TimestampPattern();

    private static double Percentile(List<double> sorted, double p) => sorted[Math.Max(0, (int)Math.Ceiling(p * sorted.Count) - 1)];

    /// <remarks>
    /// The command-to-gate-closed latency is measured and reported in the test output, not asserted: on a shared,
    /// loaded machine it says more about the scheduler than about the product (the latency target belongs to a
    /// benchmark on a quiet machine). What is asserted is the functional outcome: every gate closes on every
    /// halt, every process returns to Normal on every release, and each command is applied exactly once.
    /// </remarks>
    [Fact]
    public async Task A_fleet_halt_closes_every_process_gate_and_the_latency_is_measured_over_fifty_commands()
    {
        var fleet = await StartFleetAsync([], [], []);
        await using var commands = new FleetCommands(server.ConnectionString, _schema);
        const int cycles = 50;
        var latencies = new List<double>();
        var issued = new List<Guid>();
        for (var i = 0; i < cycles; i++)
        {
            var marks = fleet.Select(c => c.LineCount).ToArray();
            var issuedAt = Stopwatch.GetTimestamp();
            var halt = await commands.HaltAsync("op-latency", $"latency cycle {i}");
            issued.Add(halt.CommandId);
            var closed = await Task.WhenAll(fleet.Select((c, n) => c.WaitForLineAsync(GateClosedBy(halt.CommandId), CommandWait, marks[n], $"gate closed by {halt.CommandId}")));
            latencies.AddRange(closed.Select(x => (Timestamp(x.Line) - issuedAt) * 1000.0 / Stopwatch.Frequency));
            // The halt is reported applied only after its gate change; wait for that report before releasing.
            await Task.WhenAll(fleet.Select((c, n) => c.WaitForLineAsync(AppliedLine(halt.CommandId), CommandWait, marks[n], $"halt {halt.CommandId} applied")));

            var release = await commands.ReleaseAsync("op-latency", $"latency cycle {i} done");
            issued.Add(release.CommandId);
            await Task.WhenAll(fleet.Select((c, n) => c.WaitForLineAsync(l => IsNormal(l) && l.Contains("recovery.complete", StringComparison.Ordinal), CommandWait, closed[n].Index, "back to Normal after the release")));
            await Task.WhenAll(fleet.Select((c, n) => c.WaitForLineAsync(AppliedLine(release.CommandId), CommandWait, closed[n].Index, $"release {release.CommandId} applied")));
        }

        latencies.Sort();
        var (p50, p99, max) = (Percentile(latencies, 0.50), Percentile(latencies, 0.99), latencies[^1]);
        var summary = $"fleet halt command-to-gate-closed over {cycles} commands x {fleet.Count} processes ({latencies.Count} samples): " +
                      $"p50 {p50:0.0} ms, p99 {p99:0.0} ms, max {max:0.0} ms (reported, not asserted; target p99 <= 100 ms on a quiet loopback; machine load {LoadAverage()})";
        output.WriteLine(summary);
        Console.WriteLine(summary);
        Assert.All(latencies, l => Assert.True(l >= 0, "the gate cannot close before the command was issued"));
        foreach (var child in fleet)
        {
            var applied = child.Lines.Where(l => l.StartsWith("APPLIED ", StringComparison.Ordinal)).ToList();
            Assert.Equal(cycles * 2, applied.Count);
            foreach (var id in issued) Assert.Single(applied, l => AppliedLine(id)(l));
        }
    }

    private static string LoadAverage()
    {
        try { return File.ReadAllText("/proc/loadavg").Split(' ')[0]; }
        catch (IOException) { return "unknown"; }
    }

    [Fact]
    public async Task A_process_whose_connection_is_killed_while_a_command_is_issued_applies_it_after_reconnecting()
    {
        var fleet = await StartFleetAsync([], [], []);
        var victim = fleet[1];
        var marks = fleet.Select(c => c.LineCount).ToArray();

        // Its current listening backend (looked up now: a loaded machine may already have made it reconnect once).
        var terminated = 0L;
        for (var attempt = 0; attempt < 50 && terminated == 0; attempt++)
        {
            if (attempt > 0) await Task.Delay(100);
            terminated = await server.ScalarAsync<long>(
                "WITH v AS MATERIALIZED (SELECT pid FROM pg_stat_activity WHERE application_name = 'degradation-fleet:trader-1') " +
                "SELECT count(*) FILTER (WHERE pg_terminate_backend(v.pid)) FROM v");
        }
        Assert.Equal(1L, terminated);
        await using var commands = new FleetCommands(server.ConnectionString, _schema);
        var halt = await commands.HaltAsync("op-kill", "issued while one listener is down");

        await Task.WhenAll(fleet.Select((c, n) => c.WaitForLineAsync(GateClosedBy(halt.CommandId), CommandWait, marks[n], "gate closed by the halt")));
        // APPLIED is printed once the command's handling has returned, after the gate line: wait for what is asserted below.
        await Task.WhenAll(fleet.Select((c, n) => c.WaitForLineAsync(AppliedLine(halt.CommandId), CommandWait, marks[n], "the halt applied")));
        var down = await victim.WaitForLineAsync(l => l.StartsWith("CONN down", StringComparison.Ordinal), CommandWait, marks[1], "its connection drop");
        var up = await victim.WaitForLineAsync(l => l.StartsWith("CONN up", StringComparison.Ordinal), CommandWait, down.Index, "a reconnect");
        output.WriteLine($"victim: {down.Line} / {up.Line}");
        foreach (var child in fleet)
            Assert.Single(child.Lines.Skip(marks[fleet.IndexOf(child)]), l => AppliedLine(halt.CommandId)(l));
        // Each process acknowledges after closing its gate.
        IReadOnlyList<FleetAcknowledgement> acks = [];
        for (var attempt = 0; attempt < 100 && acks.Count < 3; attempt++)
        {
            if (attempt > 0) await Task.Delay(100);
            acks = await commands.GetAcknowledgementsAsync(halt.CommandId);
        }
        Assert.Equal(["trader-0", "trader-1", "trader-2"], acks.Select(a => a.ProcessId).Order());
    }

    [Fact]
    public async Task When_the_database_stops_processes_report_the_configured_reason_and_recover_when_it_returns()
    {
        // Two processes choose Degraded (keep trading, flagged) explicitly; one keeps the default, fail closed (SafeMode).
        var fleet = await StartFleetAsync(["--loss-mode", "degraded"], ["--loss-mode", "degraded"], []);
        var marks = fleet.Select(c => c.LineCount).ToArray();
        var stoppedAt = Stopwatch.GetTimestamp();
        await server.StopAsync();
        try
        {
            var lost = await Task.WhenAll(fleet.Select((c, n) => c.WaitForLineAsync(
                l => l.StartsWith("MODE ", StringComparison.Ordinal) && l.Contains("reason=fleet.policy_lost", StringComparison.Ordinal),
                TimeSpan.FromSeconds(60), marks[n], "the fleet.policy_lost transition")));
            foreach (var (line, _) in lost)
                output.WriteLine($"{(Timestamp(line) - stoppedAt) * 1000.0 / Stopwatch.Frequency:0} ms after the stop: {line}");
            Assert.Contains(" to=Degraded ", lost[0].Line);
            Assert.Contains("gate=open", lost[0].Line);
            Assert.Contains(" to=Degraded ", lost[1].Line);
            Assert.Contains(" to=SafeMode ", lost[2].Line);
            Assert.Contains("gate=closed", lost[2].Line);
        }
        finally
        {
            await server.StartAsync();
        }

        var recovered = await Task.WhenAll(fleet.Select((c, n) => c.WaitForLineAsync(IsNormal, TimeSpan.FromSeconds(60), marks[n] + 1, "Normal again after the restart")));
        foreach (var (line, _) in recovered) output.WriteLine("recovered: " + line);

        // The channel works again end to end.
        await using var commands = new FleetCommands(server.ConnectionString, _schema);
        var after = fleet.Select(c => c.LineCount).ToArray();
        var halt = await commands.HaltAsync("op-restart", "after the restart");
        await Task.WhenAll(fleet.Select((c, n) => c.WaitForLineAsync(GateClosedBy(halt.CommandId), CommandWait, after[n], "gate closed after the restart")));
    }
}
