using System.Collections.Concurrent;
using System.Diagnostics;
using Degradation.Storage.Postgres;
using Microsoft.Extensions.Time.Testing;
using Xunit.Abstractions;

namespace Degradation.Tests.Postgres;

/// <summary>
/// The fleet policy listener in-process (several DegradationSystems stand in for processes; the OS-process
/// fleet test is <see cref="FleetProcessTests"/>): scope, apply-once, release semantics, late joiners, renewal,
/// and detection of a silent (half-open) policy connection.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class FleetPolicyTests(PostgresServer server, ITestOutputHelper output) : IAsyncLifetime
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(60); // hang guard only
    private readonly string _schema = PostgresServer.NewSchema();
    private readonly List<IAsyncDisposable> _cleanup = [];
    private FleetCommands _commands = null!;

    public async Task InitializeAsync()
    {
        await PostgresSchema.MigrateAsync(server.ConnectionString, _schema);
        _commands = new FleetCommands(server.ConnectionString, _schema);
    }

    public async Task DisposeAsync()
    {
        foreach (var item in Enumerable.Reverse(_cleanup)) await item.DisposeAsync();
        await _commands.DisposeAsync();
    }

    private sealed record Member(string Name, DegradationSystem System, PostgresFleetPolicy Policy, ConcurrentQueue<FleetCommandApplication> Handled)
    {
        public int TimesHandled(Guid id) => Handled.Count(a => a.Command.CommandId == id);
        public FleetCommandApplication? Of(Guid id) => Handled.FirstOrDefault(a => a.Command.CommandId == id);
    }

    private async Task<Member> StartMemberAsync(string name, string? group = null, DegradationOptions? options = null, string? connectionString = null,
        Action<PostgresFleetPolicyOptions>? configure = null, bool waitForSync = true, string[]? scopes = null)
    {
        var system = DegradationSystem.Create(options ?? PostgresFleetPolicyOptions.RegisterLossHandling(new DegradationOptions()), TimeProvider.System);
        foreach (var scope in scopes ?? []) system.Scopes.Add(scope);
        system.Start();
        var policyOptions = new PostgresFleetPolicyOptions
        {
            Schema = _schema, Group = group, ProcessId = name, HostId = "test-host",
            HeartbeatInterval = TimeSpan.FromMilliseconds(200), QueryTimeout = TimeSpan.FromMilliseconds(800), LossTimeout = TimeSpan.FromSeconds(1.5),
            ReconnectDelay = TimeSpan.FromMilliseconds(50), MaxReconnectDelay = TimeSpan.FromMilliseconds(300), MigrateOnStart = false,
        };
        configure?.Invoke(policyOptions);
        var policy = new PostgresFleetPolicy(connectionString ?? server.ConnectionString, policyOptions);
        var handled = new ConcurrentQueue<FleetCommandApplication>();
        policy.CommandHandled += handled.Enqueue;
        _cleanup.Add(system);
        _cleanup.Add(policy);
        await policy.StartAsync(system);
        if (waitForSync) await policy.Synchronized.WaitAsync(Wait);
        return new Member(name, system, policy, handled);
    }

    private static async Task Eventually(Func<bool> condition, string what, TimeSpan? timeout = null)
    {
        var watch = Stopwatch.StartNew();
        while (!condition())
        {
            if (watch.Elapsed > (timeout ?? Wait)) throw new TimeoutException($"Timed out after {watch.Elapsed.TotalSeconds:0.0} s waiting for: {what}");
            await Task.Delay(10);
        }
    }

    [Fact]
    public async Task A_late_joiner_applies_the_latest_command_of_each_scope_and_nothing_else()
    {
        var haltAccount = await _commands.HaltScopeAsync("venue-a/acct-1", "op-1", "runaway account");
        var force = await _commands.ForceAsync(SystemMode.SafeMode, TimeSpan.FromMinutes(5), "op-2", "fleet-wide caution");
        await _commands.HaltScopeAsync("venue-a/acct-2", "op-1", "second account");
        var releaseSecond = await _commands.ReleaseScopeAsync("venue-a/acct-2", "op-1", "second account checked");

        var late = await StartMemberAsync("late", scopes: ["venue-a/acct-1", "venue-a/acct-2", "venue-b"]);
        var account = late.System.Scopes.Resolve("venue-a/acct-1");
        var second = late.System.Scopes.Resolve("venue-a/acct-2");
        Assert.Equal(SystemMode.Halt, account.StateMachine.Mode);
        Assert.Contains(haltAccount.CommandId.ToString(), account.StateMachine.OperatorHalt!.Reason);
        Assert.False(late.System.Gate.For(account).Allows(ActionType.Send));
        Assert.Equal(SystemMode.SafeMode, late.System.Gate.Mode);
        Assert.NotNull(late.Of(force.CommandId));
        Assert.False(second.StateMachine.IsHalted); // its latest command is a release: nothing to apply at start
        Assert.Null(late.Of(releaseSecond.CommandId));
        Assert.False(late.System.Scopes.Resolve("venue-b").StateMachine.IsHalted);
        Assert.False(late.System.StateMachine.IsHalted);

        // A fleet release of the account ends the fleet's Halt of that scope only.
        var release = await _commands.ReleaseScopeAsync("venue-a/acct-1", "op-1", "account checked");
        await Eventually(() => late.Of(release.CommandId) is not null, "the late joiner handled the release");
        Assert.Equal(FleetCommandOutcome.Released, late.Of(release.CommandId)!.Outcome);
        Assert.False(account.StateMachine.IsHalted);
        Assert.Equal(SystemMode.SafeMode, late.System.Gate.Mode); // the process-wide force is untouched
    }

    [Fact]
    public async Task A_malformed_scope_is_refused_before_anything_is_stored()
    {
        var error = await Assert.ThrowsAsync<ArgumentException>(() => _commands.HaltScopeAsync("venue a/acct", "op-1", "typo"));
        Assert.Contains("venue a/acct", error.Message);
        await Assert.ThrowsAsync<ArgumentException>(() => _commands.HaltScopeAsync("a/b/c/d", "op-1", "too deep"));
        Assert.Empty(await _commands.ListAsync());
    }

    [Fact]
    public async Task Commands_reach_exactly_the_processes_in_their_scope_once_each()
    {
        var a1 = await StartMemberAsync("a1", "a");
        var a2 = await StartMemberAsync("a2", "a");
        var b1 = await StartMemberAsync("b1", "b");
        var loner = await StartMemberAsync("loner");

        var haltA = await _commands.HaltAsync("op-1", "group a venue issue", group: "a");
        await Eventually(() => a1.System.Gate.Mode == SystemMode.Halt && a2.System.Gate.Mode == SystemMode.Halt, "group a halted");
        Assert.False(a1.System.Gate.Allows(ActionType.Send));

        // A stray wake-up (a duplicate NOTIFY) makes the members re-read the table, but nothing is applied twice.
        await server.ExecuteAsync("SELECT pg_notify('degradation_fleet', 'stray')");
        var forceAll = await _commands.ForceAsync(SystemMode.SafeMode, TimeSpan.FromMinutes(5), "op-2", "fleet-wide caution");
        Member[] all = [a1, a2, b1, loner];
        await Eventually(() => all.All(m => m.Of(forceAll.CommandId) is not null), "every member handled the fleet-wide force");
        Assert.All([b1, loner], m => Assert.Equal(SystemMode.SafeMode, m.System.Gate.Mode));
        // A force never leaves a Halt: the halted group stays halted and says so.
        Assert.All([a1, a2], m => Assert.Equal(SystemMode.Halt, m.System.Gate.Mode));
        Assert.All([a1, a2], m => Assert.Equal(FleetCommandOutcome.Rejected, m.Of(forceAll.CommandId)!.Outcome));
        Assert.Equal(1, a1.TimesHandled(haltA.CommandId));
        Assert.Equal(1, a2.TimesHandled(haltA.CommandId));
        Assert.Equal(0, b1.TimesHandled(haltA.CommandId));
        Assert.Equal(0, loner.TimesHandled(haltA.CommandId));
        Assert.All(all, m => Assert.Equal(1, m.TimesHandled(forceAll.CommandId)));

        // Each process acknowledged in fleet_policy_applied; the override is audited with the command's operator.
        await Eventually(() => _commands.GetAcknowledgementsAsync(forceAll.CommandId).Result.Count == 4, "four acknowledgements");
        var acks = await _commands.GetAcknowledgementsAsync(haltA.CommandId);
        Assert.Equal(["a1", "a2"], acks.Select(x => x.ProcessId).Order());
        Assert.All(acks, x => Assert.Equal(FleetCommandOutcome.Applied, x.Outcome));
        var started = b1.System.StateMachine.GetHistory().Last(t => t.Kind == TransitionKind.OverrideStarted);
        Assert.Equal("op-2", started.OperatorId);
        Assert.Contains(forceAll.CommandId.ToString(), started.Details);
        Assert.Equal(TimeSpan.FromMinutes(5).TotalSeconds, started.OverrideTtl!.Value.TotalSeconds, 0.5);
    }

    [Fact]
    public async Task A_release_ends_the_fleets_override_but_keeps_a_local_operators_own()
    {
        var follower = await StartMemberAsync("follower");
        var independent = await StartMemberAsync("independent");
        var halt = await _commands.ForceAsync(SystemMode.SafeMode, TimeSpan.FromMinutes(10), "op-1", "exchange outage");
        await Eventually(() => follower.Of(halt.CommandId) is not null && independent.Of(halt.CommandId) is not null, "force handled");

        // A local operator takes over one process with an override of their own.
        independent.System.StateMachine.ForceMode(SystemMode.SafeMode, TimeSpan.FromMinutes(10), "local-op", "investigating");

        var release = await _commands.ReleaseAsync("op-1", "exchange back");
        await Eventually(() => follower.Of(release.CommandId) is not null && independent.Of(release.CommandId) is not null, "release handled");
        Assert.Equal(FleetCommandOutcome.Released, follower.Of(release.CommandId)!.Outcome);
        Assert.Null(follower.System.StateMachine.Override);
        Assert.NotEqual(SystemMode.Halt, follower.System.Gate.Mode);
        var ended = follower.System.StateMachine.GetHistory().Last();
        Assert.Equal(TransitionKind.OverrideEnded, ended.Kind);
        Assert.Equal("op-1", ended.OperatorId);

        Assert.Equal(FleetCommandOutcome.NothingToRelease, independent.Of(release.CommandId)!.Outcome);
        Assert.Equal("local-op", independent.System.StateMachine.Override!.OperatorId);
        Assert.Equal(SystemMode.SafeMode, independent.System.Gate.Mode);
    }

    [Fact]
    public async Task A_process_that_starts_later_applies_only_the_command_still_in_force()
    {
        await _commands.ForceAsync(SystemMode.Degraded, TimeSpan.FromMinutes(5), "op-1", "older command");
        var halt = await _commands.ForceAsync(SystemMode.SafeModeDisconnected, TimeSpan.FromMinutes(30), "op-2", "latest command");
        var late = await StartMemberAsync("late");
        Assert.Equal(SystemMode.SafeModeDisconnected, late.System.Gate.Mode);
        Assert.Equal([halt.CommandId], late.Handled.Select(a => a.Command.CommandId));
        var ttl = late.System.StateMachine.Override!.Ttl;
        Assert.InRange(ttl.TotalMinutes, 29, 30); // the time left by the database's clock, not a fresh 30 minutes

        await _commands.ForceAsync(SystemMode.SafeMode, TimeSpan.FromSeconds(1), "op-3", "short blip");
        await Task.Delay(1300);
        var later = await StartMemberAsync("later");
        Assert.Empty(later.Handled); // the latest command had expired: nothing to apply
        Assert.Null(later.System.StateMachine.Override);
    }

    [Fact]
    public async Task A_fleet_halt_is_a_kill_switch_that_outlives_the_longest_local_override_without_renewal()
    {
        var options = PostgresFleetPolicyOptions.RegisterLossHandling(new DegradationOptions { MinOverrideSeconds = 1, MaxOverrideSeconds = 2 });
        var member = await StartMemberAsync("renewing", options: options, configure: o => o.RenewBefore = TimeSpan.FromMilliseconds(1200));
        var halt = await _commands.HaltAsync("op-1", "halt until further notice");
        await Eventually(() => member.System.Gate.Mode == SystemMode.Halt, "halted");
        await Task.Delay(TimeSpan.FromSeconds(3.5));
        Assert.Equal(SystemMode.Halt, member.System.Gate.Mode);
        var history = member.System.StateMachine.GetHistory();
        Assert.DoesNotContain(history, t => t.Kind == TransitionKind.OverrideEnded);
        Assert.Single(history, t => t.Kind == TransitionKind.OperatorHalt && t.Details!.Contains(halt.CommandId.ToString()));
        Assert.Equal("op-1", member.System.StateMachine.OperatorHalt!.OperatorId);
        Assert.Equal(1, member.TimesHandled(halt.CommandId));
    }

    [Fact]
    public async Task A_silent_half_open_channel_is_detected_reported_fail_closed_and_recovered_without_missing_commands()
    {
        await using var proxy = new BlackholeProxy(server.Port);
        var viaProxy = server.ConnectionString.Replace($"Port={server.Port}", $"Port={proxy.Port}", StringComparison.Ordinal);
        var failClosed = PostgresFleetPolicyOptions.RegisterLossHandling(new DegradationOptions { MinSafeModeSeconds = 0 }, SystemMode.SafeMode);
        var member = await StartMemberAsync("partitioned", options: failClosed, connectionString: viaProxy);
        var component = new ComponentId(PostgresFleetPolicyOptions.DefaultComponent);
        await Eventually(() => member.System.StateMachine.GetComponent(component)?.Level == ComponentLevel.Healthy, "fleet-policy component reported healthy");
        Assert.True(member.System.Policy.GetComponent(component)!.Critical);
        Assert.False(member.Policy.IsPolicyLost);

        proxy.Blackhole();
        var silencedAt = Stopwatch.StartNew();
        await Eventually(() => member.System.Gate.Mode == SystemMode.SafeMode, "SafeMode after the loss timeout", TimeSpan.FromSeconds(15));
        var detectedAfter = silencedAt.Elapsed;
        output.WriteLine($"silent channel reported after {detectedAfter.TotalMilliseconds:0} ms (loss timeout 1500 ms, heartbeat 200 ms, query timeout 800 ms)");
        Assert.True(member.Policy.IsPolicyLost);
        await Eventually(() => !member.Policy.IsConnected, "the silent connection dropped", TimeSpan.FromSeconds(10));
        output.WriteLine($"silent connection dropped after {silencedAt.Elapsed.TotalMilliseconds:0} ms");
        Assert.InRange(detectedAfter, TimeSpan.FromMilliseconds(800), TimeSpan.FromSeconds(8)); // LossTimeout after the last answer
        var lost = member.System.StateMachine.GetHistory().Last(t => t.To == SystemMode.SafeMode);
        Assert.Equal(PostgresFleetPolicyOptions.DefaultLossReason, lost.Reason.Value);
        Assert.Equal(component, lost.Component);

        // A command issued while the process cannot hear: NOTIFY is lost, the table is not.
        var halt = await _commands.HaltAsync("op-1", "issued during the partition");
        await Task.Delay(300);
        Assert.Equal(0, member.TimesHandled(halt.CommandId));

        proxy.Resume();
        await Eventually(() => member.TimesHandled(halt.CommandId) == 1, "the halt applied after reconnecting");
        Assert.Equal(SystemMode.Halt, member.System.Gate.Mode);
        await Eventually(() => !member.Policy.IsPolicyLost, "loss cleared");
        await Eventually(() => member.System.StateMachine.GetComponent(component)!.Conditions.Count == 0, "fleet-policy condition cleared by the Recovered event");
        await Eventually(() => member.Policy.Connections >= 2 && member.Policy.IsConnected, "reconnected");
    }

    [Fact]
    public async Task A_silent_channel_is_reported_as_the_policy_lost_even_when_the_report_reaches_the_state_machine_a_second_late()
    {
        // The system is not started: the test drives its clock, its bus (ProcessPending) and its re-evaluation (Tick),
        // so the order in which the loss report and the status expiry reach the state machine is set here, not by the
        // machine's load. The database is real, behind a proxy that can fall silent.
        var time = new FakeTimeProvider();
        await using var proxy = new BlackholeProxy(server.Port);
        var viaProxy = server.ConnectionString.Replace($"Port={server.Port}", $"Port={proxy.Port}", StringComparison.Ordinal);
        var options = PostgresFleetPolicyOptions.RegisterLossHandling(new DegradationOptions { MinSafeModeSeconds = 0 }, SystemMode.SafeMode);
        await using var system = DegradationSystem.Create(options, time);
        var lossTimeout = TimeSpan.FromSeconds(1.5);
        await using var policy = new PostgresFleetPolicy(viaProxy, new PostgresFleetPolicyOptions
        {
            Schema = _schema, ProcessId = "late-report", HostId = "test-host",
            HeartbeatInterval = TimeSpan.FromMilliseconds(200), QueryTimeout = TimeSpan.FromMilliseconds(800), LossTimeout = lossTimeout,
            ReconnectDelay = TimeSpan.FromMilliseconds(50), MaxReconnectDelay = TimeSpan.FromMilliseconds(300), MigrateOnStart = false,
        });
        var component = new ComponentId(PostgresFleetPolicyOptions.DefaultComponent);
        await policy.StartAsync(system);
        await policy.Synchronized.WaitAsync(Wait);
        system.Bus.ProcessPending();
        system.StateMachine.Tick();
        Assert.Equal(ComponentLevel.Healthy, system.StateMachine.GetComponent(component)!.Level);
        var lastAnswer = time.GetTimestamp(); // the clock has not moved since the read that made it healthy

        // The channel falls silent. Everything runs on time until just before the loss timeout: the status stays fresh.
        proxy.Blackhole();
        while (time.GetElapsedTime(lastAnswer) < lossTimeout - TimeSpan.FromMilliseconds(50))
        {
            time.Advance(TimeSpan.FromMilliseconds(10));
            system.Bus.ProcessPending();
            system.StateMachine.Tick();
            Assert.False(policy.IsPolicyLost, $"reported lost after {time.GetElapsedTime(lastAnswer).TotalMilliseconds:0} ms, before the loss timeout");
            Assert.Equal(ComponentLevel.Healthy, system.StateMachine.GetComponent(component)!.Level);
        }

        // Then the machine stalls: the loss falls due, and the watchdog's report of it is still queued a second later
        // when the state machine re-evaluates — 2.45 s after the last answer, beyond the status TTL (1.9 s) counted
        // from that answer. The status must still be fresh, so the report that lands names the loss.
        time.Advance(TimeSpan.FromSeconds(1));
        Assert.True(policy.IsPolicyLost);
        system.StateMachine.Tick();
        Assert.DoesNotContain(system.StateMachine.GetComponent(component)!.Conditions, c => c.Reason == ReasonCode.ComponentStale);
        system.Bus.ProcessPending();
        system.StateMachine.Tick();

        Assert.Equal(SystemMode.SafeMode, system.Gate.Mode);
        var history = system.StateMachine.GetHistory();
        var lost = history.Last(t => t.To == SystemMode.SafeMode);
        Assert.Equal(PostgresFleetPolicyOptions.DefaultLossReason, lost.Reason.Value);
        Assert.Equal(component, lost.Component);
        Assert.DoesNotContain(history, t => t.Reason == ReasonCode.ComponentStale);
        Assert.Contains(system.StateMachine.GetComponent(component)!.Conditions, c => c.Reason.Value == PostgresFleetPolicyOptions.DefaultLossReason);
    }

    [Fact]
    public void Bad_options_name_the_option()
    {
        var loss = Assert.Throws<ArgumentOutOfRangeException>(() => new PostgresFleetPolicy(server.ConnectionString, new PostgresFleetPolicyOptions
        {
            HeartbeatInterval = TimeSpan.FromSeconds(2), QueryTimeout = TimeSpan.FromSeconds(2), LossTimeout = TimeSpan.FromSeconds(3),
        }));
        Assert.Contains("LossTimeout", loss.Message);
        var channel = Assert.Throws<ArgumentException>(() => new PostgresFleetPolicy(server.ConnectionString, new PostgresFleetPolicyOptions { Channel = "bad channel" }));
        Assert.Contains("Channel", channel.Message);
        var lossMode = Assert.Throws<ArgumentOutOfRangeException>(() => PostgresFleetPolicyOptions.RegisterLossHandling(new DegradationOptions(), SystemMode.Normal));
        Assert.Contains("lossMode", lossMode.Message);
        var ttl = Assert.ThrowsAsync<ArgumentException>(() => _commands.IssueAsync(FleetCommandKind.Force, SystemMode.SafeMode, null, "op", "no ttl"));
        Assert.Contains("ttl", ttl.Result.Message);
    }
}
