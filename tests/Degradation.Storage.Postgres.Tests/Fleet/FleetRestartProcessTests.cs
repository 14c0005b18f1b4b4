using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;
using Degradation.Storage.Postgres;
using Xunit.Abstractions;

namespace Degradation.Tests.Postgres;

/// <summary>
/// Trading processes as separate OS processes (samples/FleetCli <c>run</c>, which samples
/// <c>Gate.Allows(Send)</c> every 2 ms and prints the first moment it is allowed): a restart while the fleet is
/// halted never trades — with the database down it reports the loss, with it up it applies the halt before Send
/// is ever allowed — an idle fleet keeps its connections, the audit matches the transitions across an outage,
/// and a command's propagation is measured with the database's and the library's shares apart.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed partial class FleetRestartProcessTests(PostgresServer server, ITestOutputHelper output) : IAsyncLifetime
{
    private static readonly TimeSpan StartupWait = TimeSpan.FromSeconds(90);
    private static readonly TimeSpan CommandWait = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan StopWait = TimeSpan.FromSeconds(60);
    private readonly string _schema = PostgresServer.NewSchema();
    private readonly string _spoolRoot = Directory.CreateTempSubdirectory("degradation-fleet-spool-").FullName;
    private readonly List<FleetCliProcess> _children = [];

    public async Task InitializeAsync() => await PostgresSchema.MigrateAsync(server.ConnectionString, _schema);

    public async Task DisposeAsync()
    {
        foreach (var child in _children) await child.DisposeAsync();
        try { await server.StartAsync(); }
        catch (InvalidOperationException) { /* already running */ }
        try { Directory.Delete(_spoolRoot, recursive: true); }
        catch (IOException) { /* best effort */ }
    }

    private FleetCliProcess Start(string processId, params string[] timing)
    {
        var child = FleetCliProcess.Start(processId, ["run", "--connection", server.ConnectionString, "--schema", _schema, "--process-id", processId,
            "--spool-dir", Path.Combine(_spoolRoot, processId),
            .. timing.Length > 0 ? timing : ["--heartbeat-ms", "200", "--query-timeout-ms", "1000", "--loss-timeout-ms", "2000"]]);
        _children.Add(child);
        return child;
    }

    private static bool IsSendAllowed(string line) => line.StartsWith("SEND allowed", StringComparison.Ordinal);

    private static bool IsGateOpen(string line) => line.StartsWith("MODE ", StringComparison.Ordinal) && line.Contains("gate=open", StringComparison.Ordinal);

    private static Func<string, bool> Applied(Guid commandId) =>
        l => l.StartsWith("APPLIED ", StringComparison.Ordinal) && l.Contains(commandId.ToString(), StringComparison.Ordinal) && l.Contains("outcome=Applied", StringComparison.Ordinal);

    private static Func<string, bool> GateClosedBy(Guid commandId) =>
        l => l.StartsWith("MODE ", StringComparison.Ordinal) && l.Contains("gate=closed", StringComparison.Ordinal) && l.Contains(commandId.ToString(), StringComparison.Ordinal);

    private static long Timestamp(string line) => long.Parse(TimestampPattern().Match(line).Groups[1].Value, CultureInfo.InvariantCulture);

    private static long Field(string line, string name) => long.Parse(Regex.Match(line, $@"\b{name}=(\d+)").Groups[1].Value, CultureInfo.InvariantCulture);

    [GeneratedRegex(@"\bts=(\d+)")]
    private static partial Regex TimestampPattern();

    private static double Ms(long from, long to) => (to - from) * 1000.0 / Stopwatch.Frequency;

    private static double Percentile(List<double> sorted, double p) => sorted[Math.Max(0, (int)Math.Ceiling(p * sorted.Count) - 1)];

    private async Task<string> QuitAndReadStoppedAsync(FleetCliProcess child)
    {
        Assert.Equal(0, await child.QuitAsync(StopWait));
        return child.Lines.Last(l => l.StartsWith("STOPPED", StringComparison.Ordinal));
    }

    private async Task AssertAuditMatchesAsync(string processId, string stopped)
    {
        var transitions = Field(stopped, "transitions");
        var rows = await server.ScalarAsync<long>($"SELECT count(*) FROM {_schema}.mode_transitions WHERE process_id = @p", ("p", processId));
        output.WriteLine($"{processId}: {stopped}; audit rows {rows}");
        Assert.Equal(0, Field(stopped, "spool-left"));
        Assert.Equal(transitions, rows);
    }

    [Fact]
    public async Task A_process_restarted_while_halted_with_the_database_down_reports_the_loss_never_allows_Send_and_applies_the_halt_when_it_returns()
    {
        var first = Start("halted-a");
        await first.WaitForLineAsync(l => l == "READY", StartupWait, what: "READY");
        await using var commands = new FleetCommands(server.ConnectionString, _schema);
        var halt = await commands.HaltAsync("op-restart", "standing halt across a restart");
        await first.WaitForLineAsync(GateClosedBy(halt.CommandId), CommandWait, what: "the halt");
        await AssertAuditMatchesAsync("halted-a", await QuitAndReadStoppedAsync(first));

        await server.StopAsync();
        var restarted = Start("halted-b");
        var (startedLine, _) = await restarted.WaitForLineAsync(l => l.StartsWith("STARTED", StringComparison.Ordinal), StartupWait, what: "STARTED");
        var (lostLine, _) = await restarted.WaitForLineAsync(
            l => l.StartsWith("MODE ", StringComparison.Ordinal) && l.Contains("reason=" + PostgresFleetPolicyOptions.DefaultLossReason, StringComparison.Ordinal),
            StartupWait, what: "the fleet.policy_lost report");
        output.WriteLine($"database down at start: fleet.policy_lost reported {Ms(Timestamp(startedLine), Timestamp(lostLine)):0} ms after STARTED was printed (loss timeout 2000 ms, counted from the listener's start just before)");
        Assert.Contains("to=SafeMode", lostLine, StringComparison.Ordinal);
        Assert.DoesNotContain(restarted.Lines, IsSendAllowed);
        Assert.DoesNotContain(restarted.Lines, IsGateOpen);

        await server.StartAsync();
        var (appliedLine, appliedIndex) = await restarted.WaitForLineAsync(Applied(halt.CommandId), CommandWait, what: "the standing halt applied");
        await restarted.WaitForLineAsync(l => l.StartsWith("MODE ", StringComparison.Ordinal) && l.Contains("to=Halt", StringComparison.Ordinal), CommandWait, what: "Halt");
        Assert.DoesNotContain(restarted.Lines, IsSendAllowed);
        Assert.DoesNotContain(restarted.Lines, IsGateOpen);

        // The control: the same sampler does see Send once the fleet releases the halt.
        var mark = restarted.LineCount;
        await commands.ReleaseAsync("op-restart", "resume");
        await restarted.WaitForLineAsync(IsSendAllowed, CommandWait, mark, "Send allowed after the release");
        output.WriteLine($"halt applied at {appliedLine} (line {appliedIndex})");
        await AssertAuditMatchesAsync("halted-b", await QuitAndReadStoppedAsync(restarted));
    }

    [Fact]
    public async Task With_the_database_up_a_restarted_process_applies_the_standing_halt_before_any_Send_is_allowed()
    {
        await using var commands = new FleetCommands(server.ConnectionString, _schema);
        var halt = await commands.HaltAsync("op-restart-up", "standing halt");
        for (var i = 0; i < 3; i++)
        {
            var child = Start($"restart-up-{i}");
            var (applied, _) = await child.WaitForLineAsync(Applied(halt.CommandId), StartupWait, what: "the standing halt applied");
            await child.WaitForLineAsync(l => l.StartsWith("MODE ", StringComparison.Ordinal) && l.Contains("to=Halt", StringComparison.Ordinal), CommandWait, what: "Halt");
            // Still halted a full heartbeat round later (the component is healthy by now), and Send never allowed.
            await child.WaitForLineAsync(l => l.StartsWith("CONN up", StringComparison.Ordinal), CommandWait, what: "the listener up");
            Assert.DoesNotContain(child.Lines, IsSendAllowed);
            Assert.DoesNotContain(child.Lines, IsGateOpen);
            output.WriteLine($"restart {i}: {applied}; Send never allowed");
            if (i == 2)
            {
                var mark = child.LineCount;
                await commands.ReleaseAsync("op-restart-up", "resume");
                await child.WaitForLineAsync(IsSendAllowed, CommandWait, mark, "Send allowed after the release");
            }
            await AssertAuditMatchesAsync($"restart-up-{i}", await QuitAndReadStoppedAsync(child));
        }
    }

    [Fact]
    public async Task An_idle_healthy_fleet_keeps_its_connections_for_sixty_seconds()
    {
        // Default timing (1 s heartbeat, 2 s query timeout); two of the four also run a driver keepalive the
        // options allow (4 s, longer than a heartbeat round).
        string[] defaults = ["--heartbeat-ms", "1000", "--query-timeout-ms", "2000", "--loss-timeout-ms", "5000"];
        var fleet = new[]
        {
            Start("idle-0", defaults), Start("idle-1", defaults),
            Start("idle-2", [.. defaults, "--keepalive-s", "4"]), Start("idle-3", [.. defaults, "--keepalive-s", "4"]),
        };
        await Task.WhenAll(fleet.Select(c => c.WaitForLineAsync(l => l == "READY", StartupWait, what: "READY")));
        var idleFrom = fleet.Select(c => c.LineCount).ToArray();
        // Idleness can only be measured by letting time pass: one real 60 s wait.
        await Task.Delay(TimeSpan.FromSeconds(60));
        var idleUntil = fleet.Select(c => c.LineCount).ToArray(); // what a stop prints (its own CONN down) is not idleness
        var stopped = new List<string>();
        foreach (var child in fleet) stopped.Add(await QuitAndReadStoppedAsync(child));
        var reconnects = 0L;
        for (var i = 0; i < fleet.Length; i++)
        {
            var idleLines = fleet[i].Lines.Take(idleUntil[i]).Skip(idleFrom[i]).ToList();
            output.WriteLine($"{fleet[i].Name}: {stopped[i]}; lines while idle: {idleLines.Count}");
            foreach (var line in idleLines) output.WriteLine("  " + line);
            reconnects += Field(stopped[i], "connections") - 1;
            Assert.DoesNotContain(idleLines, l => l.StartsWith("CONN", StringComparison.Ordinal) || l.StartsWith("MODE", StringComparison.Ordinal));
        }
        output.WriteLine($"reconnects over 60 s idle, 4 processes: {reconnects}");
        Assert.Equal(0, reconnects);
    }

    [Fact]
    public async Task Command_propagation_is_reported_with_the_database_and_library_shares_apart()
    {
        var fleet = new[] { Start("prop-0"), Start("prop-1"), Start("prop-2") };
        await Task.WhenAll(fleet.Select(c => c.WaitForLineAsync(l => l == "READY", StartupWait, what: "READY")));
        await using var commands = new FleetCommands(server.ConnectionString, _schema);
        const int cycles = 20;
        List<double> total = [], database = [], library = [];
        List<string> unannounced = [];
        for (var i = 0; i < cycles; i++)
        {
            var marks = fleet.Select(c => c.LineCount).ToArray();
            var issuedAt = Stopwatch.GetTimestamp();
            var halt = await commands.HaltAsync("op-propagation", $"cycle {i}");
            var closedAt = new int[fleet.Length];
            for (var n = 0; n < fleet.Length; n++)
            {
                var (closed, closedIndex) = await fleet[n].WaitForLineAsync(GateClosedBy(halt.CommandId), CommandWait, marks[n], "gate closed");
                closedAt[n] = closedIndex;
                total.Add(Ms(issuedAt, Timestamp(closed)));
                // The split needs the notification. On a busy machine a heartbeat can outlast its query timeout: the
                // process reconnects and its first read applies the command, with no notification to time.
                var wake = fleet[n].Lines.Skip(marks[n]).Take(closedIndex - marks[n]).FirstOrDefault(l => l.StartsWith("WAKE", StringComparison.Ordinal));
                if (wake is null)
                {
                    unannounced.Add($"{fleet[n].Name} cycle {i}: {string.Join(" | ", fleet[n].Lines.Skip(marks[n]).Take(closedIndex - marks[n] + 1))}");
                    continue;
                }
                database.Add(Ms(issuedAt, Timestamp(wake)));
                library.Add(Ms(Timestamp(wake), Timestamp(closed)));
            }
            await commands.ReleaseAsync("op-propagation", $"cycle {i} done");
            // The reopening is proven by the transition line (gate=open): the 2 ms Send sampler can miss a Halt shorter
            // than its period and then has no edge to print. It is looked for after this cycle's closing only: an
            // earlier line (the previous cycle's recovery reaching Normal late) would let the next cycle start
            // before this release was applied, and that release and the next halt would arrive together.
            await Task.WhenAll(fleet.Select((c, n) => c.WaitForLineAsync(l => IsSendAllowed(l) || IsGateOpen(l), CommandWait, closedAt[n] + 1, "Send allowed again")));
        }
        foreach (var (name, samples) in new[] { ("issue -> gate closed", total), ("database: issue -> notification received", database), ("library: notification received -> gate closed", library) })
        {
            samples.Sort();
            var line = $"{name}: p50 {Percentile(samples, 0.5):0.00} ms, p99 {Percentile(samples, 0.99):0.00} ms, max {samples[^1]:0.00} ms ({samples.Count} samples, {cycles} commands x {fleet.Length} processes)";
            output.WriteLine(line);
            Console.WriteLine(line);
        }
        output.WriteLine($"applied without a notification to time (read after a reconnect): {unannounced.Count}");
        foreach (var line in unannounced) output.WriteLine("  " + line);
        Assert.All(unannounced, l => Assert.Contains("CONN", l)); // only a reconnect's first read applies a command unannounced
        Assert.All(library, l => Assert.True(l >= 0, "the gate cannot change before the notification arrived"));
    }
}
