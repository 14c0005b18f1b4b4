using Degradation.Storage.Postgres;
using Xunit.Abstractions;

namespace Degradation.Tests.Postgres;

/// <summary>
/// A fleet halt of one account across separate OS processes (samples/FleetCli <c>run --scopes</c>): every process halts
/// that account only, its sibling account and the process itself keep trading, and the fleet's release of the same
/// scope lets the account recover and trade again everywhere.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class FleetScopeProcessTests(PostgresServer server, ITestOutputHelper output) : IAsyncLifetime
{
    private const string Halted = "venue-a/acct-1";
    private const string Sibling = "venue-a/acct-2";
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

    [Fact]
    public async Task A_fleet_halt_of_one_account_closes_it_in_every_process_while_the_other_account_keeps_trading()
    {
        var fleet = Enumerable.Range(0, 3).Select(i =>
        {
            var child = FleetCliProcess.Start($"trader-{i}", ["run", "--connection", server.ConnectionString, "--schema", _schema, "--process-id", $"trader-{i}",
                "--heartbeat-ms", "200", "--query-timeout-ms", "1000", "--loss-timeout-ms", "2000", "--scopes", $"{Halted},{Sibling}"]);
            _children.Add(child);
            return child;
        }).ToList();
        await Task.WhenAll(fleet.Select(c => c.WaitForLineAsync(l => l == "READY", StartupWait, what: "READY")));
        await Task.WhenAll(fleet.Select(c => WaitForProbeAsync(c, Halted, open: true, StartupWait)));
        await Task.WhenAll(fleet.Select(c => WaitForProbeAsync(c, Sibling, open: true, StartupWait)));

        await using var commands = new FleetCommands(server.ConnectionString, _schema);
        var marks = fleet.Select(c => c.LineCount).ToArray();
        var halt = await commands.HaltScopeAsync(Halted, "op-scope", "runaway account");
        Assert.Equal(Halted, halt.Scope);
        await Task.WhenAll(fleet.Select((c, n) => c.WaitForLineAsync(
            l => l.StartsWith($"SCOPE scope={Halted} ", StringComparison.Ordinal) && l.Contains(" to=Halt ", StringComparison.Ordinal)
                 && l.Contains(" send=False ", StringComparison.Ordinal) && l.Contains(halt.CommandId.ToString(), StringComparison.Ordinal),
            CommandWait, marks[n], $"{Halted} halted by {halt.CommandId}")));
        await Task.WhenAll(fleet.Select((c, n) => c.WaitForLineAsync(
            l => l.StartsWith("APPLIED ", StringComparison.Ordinal) && l.Contains($" id={halt.CommandId} ", StringComparison.Ordinal) && l.Contains("outcome=Applied", StringComparison.Ordinal),
            CommandWait, marks[n], $"applied {halt.CommandId}")));

        foreach (var child in fleet)
        {
            var probe = await ProbeAsync(child);
            output.WriteLine($"{child.Name} halted: {string.Join(" | ", probe)}");
            Assert.Contains($"PROBE scope={Halted} send=False mode=Halt own=Halt", probe);
            Assert.Contains($"PROBE scope={Sibling} send=True mode=Normal own=Normal", probe);
            Assert.Contains("PROBE scope= send=True mode=Normal own=Normal", probe);
        }
        var acks = await WaitForAcknowledgementsAsync(commands, halt.CommandId, 3);
        Assert.Equal(3, acks.Count);
        Assert.All(acks, a => Assert.Equal(FleetCommandOutcome.Applied, a.Outcome));

        marks = fleet.Select(c => c.LineCount).ToArray();
        var release = await commands.ReleaseScopeAsync(Halted, "op-scope", "account checked");
        await Task.WhenAll(fleet.Select((c, n) => c.WaitForLineAsync(
            l => l.StartsWith($"SCOPE scope={Halted} ", StringComparison.Ordinal) && l.Contains(" to=Normal ", StringComparison.Ordinal) && l.Contains(" send=True ", StringComparison.Ordinal),
            CommandWait, marks[n], $"{Halted} trading again after {release.CommandId}")));
        foreach (var child in fleet)
        {
            var probe = await ProbeAsync(child);
            output.WriteLine($"{child.Name} released: {string.Join(" | ", probe)}");
            Assert.Contains($"PROBE scope={Halted} send=True mode=Normal own=Normal", probe);
            Assert.Contains($"PROBE scope={Sibling} send=True mode=Normal own=Normal", probe);
        }
        var releaseAcks = await WaitForAcknowledgementsAsync(commands, release.CommandId, 3);
        Assert.All(releaseAcks, a => Assert.Equal(FleetCommandOutcome.Released, a.Outcome));
    }

    [Fact]
    public async Task A_scope_halt_aimed_at_a_scope_a_process_does_not_have_is_acknowledged_as_such()
    {
        var child = FleetCliProcess.Start("trader-x", ["run", "--connection", server.ConnectionString, "--schema", _schema, "--process-id", "trader-x",
            "--heartbeat-ms", "200", "--query-timeout-ms", "1000", "--loss-timeout-ms", "2000", "--scopes", Sibling]);
        _children.Add(child);
        await child.WaitForLineAsync(l => l == "READY", StartupWait, what: "READY");
        await using var commands = new FleetCommands(server.ConnectionString, _schema);
        var halt = await commands.HaltScopeAsync(Halted, "op-scope", "runaway account");
        await child.WaitForLineAsync(l => l.StartsWith("APPLIED ", StringComparison.Ordinal) && l.Contains($" id={halt.CommandId} ", StringComparison.Ordinal), CommandWait, what: "applied");
        var ack = Assert.Single(await WaitForAcknowledgementsAsync(commands, halt.CommandId, 1));
        Assert.Equal(FleetCommandOutcome.ScopeNotConfigured, ack.Outcome);
        Assert.Contains(Halted, ack.Details);
        var probe = await ProbeAsync(child);
        Assert.Contains("PROBE scope= send=True mode=Normal own=Normal", probe);
    }

    private static async Task<IReadOnlyList<FleetAcknowledgement>> WaitForAcknowledgementsAsync(FleetCommands commands, Guid id, int count)
    {
        // Acknowledgements are written after the APPLIED line; poll the table (a hang guard, not a latency bound).
        for (var attempt = 0; attempt < 600; attempt++)
        {
            var acks = await commands.GetAcknowledgementsAsync(id);
            if (acks.Count >= count) return acks;
            await Task.Delay(100);
        }
        throw new TimeoutException($"fewer than {count} acknowledgements of {id}");
    }

    private static async Task<List<string>> ProbeAsync(FleetCliProcess child)
    {
        var mark = child.LineCount;
        await child.SendAsync("probe");
        var (_, end) = await child.WaitForLineAsync(l => l == "PROBED", CommandWait, mark, "PROBED");
        return child.Lines.Skip(mark).Take(end - mark).Where(l => l.StartsWith("PROBE ", StringComparison.Ordinal)).ToList();
    }

    private static async Task WaitForProbeAsync(FleetCliProcess child, string scope, bool open, TimeSpan wait)
    {
        for (var attempt = 0; attempt < (int)(wait.TotalMilliseconds / 100); attempt++)
        {
            var probe = await ProbeAsync(child);
            if (probe.Any(l => l.StartsWith($"PROBE scope={scope} send={open} ", StringComparison.Ordinal))) return;
            await Task.Delay(100);
        }
        throw new TimeoutException($"{child.Name}: {scope} never {(open ? "opened" : "closed")}");
    }
}
