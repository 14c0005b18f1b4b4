using System.Collections.Concurrent;
using System.Diagnostics;
using Degradation.Storage.Postgres;
using Microsoft.Extensions.Time.Testing;
using Xunit.Abstractions;

namespace Degradation.Tests.Postgres;

/// <summary>
/// The fleet policy listener in-process (several DegradationSystems stand in for processes; the OS-process
/// fleet test is <see cref="FleetProcessTests"/>): scope, apply-once, release semantics, late joiners, renewal,
/// and detection of a silent (half-open) policy connection. The timing tests run their member on a fake clock
/// (<see cref="ClockedMember"/>) against the real database; the others wait for events, with hang guards only.
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

    /// <summary>
    /// A member on a <see cref="FakeTimeProvider"/> whose system is not started: the test drives its clock, its bus
    /// (<see cref="EventBus.ProcessPending"/>) and its re-evaluation (<see cref="DegradationStateMachine.Tick"/>), so
    /// every timing the policy decides on is set by the test, not by the machine's load. The database stays real.
    /// </summary>
    private sealed class ClockedMember(DegradationSystem system, PostgresFleetPolicy policy, FakeTimeProvider time)
    {
        private readonly SemaphoreSlim _progress = new(0);

        public DegradationSystem System => system;
        public PostgresFleetPolicy Policy => policy;
        public FakeTimeProvider Time => time;
        public ConcurrentQueue<FleetCommandApplication> Handled { get; } = new();
        public int TimesHandled(Guid id) => Handled.Count(a => a.Command.CommandId == id);
        public FleetCommandApplication? Of(Guid id) => Handled.FirstOrDefault(a => a.Command.CommandId == id);

        public void Attach()
        {
            policy.CommandHandled += application =>
            {
                Handled.Enqueue(application);
                _progress.Release();
            };
            policy.ConnectionChanged += (_, _) => _progress.Release();
        }

        /// <summary>Applies what the policy published and re-evaluates, as the started system's loop and ticker would.</summary>
        public void Drive()
        {
            system.Bus.ProcessPending();
            system.StateMachine.Tick();
        }

        /// <summary>Moves the clock by <paramref name="by"/> in 10 ms steps (timers fire in order), driving after each.</summary>
        public void Advance(TimeSpan by)
        {
            var step = TimeSpan.FromMilliseconds(10);
            for (var passed = TimeSpan.Zero; passed < by; passed += step)
            {
                time.Advance(by - passed < step ? by - passed : step);
                Drive();
            }
        }

        /// <summary>
        /// Steps the clock until <paramref name="condition"/> holds, letting the listener's threads run between steps.
        /// Only for phases where the database cannot answer (nothing real races the fake timeouts): how much fake time
        /// passes depends on scheduling, so assert no figure from it.
        /// </summary>
        public async Task AdvanceUntilAsync(Func<bool> condition, string what)
        {
            var guard = Stopwatch.StartNew();
            while (true)
            {
                Drive();
                if (condition()) return;
                if (guard.Elapsed > Wait) throw new TimeoutException($"Timed out (hang guard) waiting for: {what}");
                Advance(TimeSpan.FromMilliseconds(10));
                await Task.Delay(1);
            }
        }

        /// <summary>
        /// Waits until <paramref name="condition"/> holds while the listener talks to a database that answers. The
        /// listener needs the clock only for its reconnect delay, so the clock moves by the longest reconnect delay, then
        /// waits for the listener to show progress (a command handled, the connection up or down) before moving again:
        /// a connection attempt is cut short by its fake timeout only if it takes longer than two of those waits of
        /// real time, and then it is simply retried.
        /// </summary>
        public async Task ProgressUntilAsync(Func<bool> condition, string what)
        {
            while (_progress.Wait(0)) { } // progress seen before this phase says nothing about it
            var guard = Stopwatch.StartNew();
            while (true)
            {
                Drive();
                if (condition()) return;
                if (guard.Elapsed > Wait) throw new TimeoutException($"Timed out (hang guard) waiting for: {what}");
                Advance(policy.Options.MaxReconnectDelay);
                await _progress.WaitAsync(TimeSpan.FromSeconds(5));
            }
        }
    }

    private async Task<ClockedMember> StartClockedMemberAsync(string name, DegradationOptions options, string? connectionString = null,
        Action<PostgresFleetPolicyOptions>? configure = null)
    {
        var time = new FakeTimeProvider();
        var system = DegradationSystem.Create(options, time);
        var policyOptions = new PostgresFleetPolicyOptions
        {
            Schema = _schema, ProcessId = name, HostId = "test-host",
            HeartbeatInterval = TimeSpan.FromMilliseconds(200), QueryTimeout = TimeSpan.FromMilliseconds(800), LossTimeout = TimeSpan.FromSeconds(1.5),
            ReconnectDelay = TimeSpan.FromMilliseconds(50), MaxReconnectDelay = TimeSpan.FromMilliseconds(300), MigrateOnStart = false,
        };
        configure?.Invoke(policyOptions);
        var policy = new PostgresFleetPolicy(connectionString ?? server.ConnectionString, policyOptions);
        var member = new ClockedMember(system, policy, time);
        member.Attach();
        _cleanup.Add(system);
        _cleanup.Add(policy);
        await policy.StartAsync(system);
        // The clock stands still until the first read is applied: no fake timeout can cut it short.
        await policy.Synchronized.WaitAsync(Wait);
        member.Drive();
        return member;
    }

    /// <summary>The watchdog's period for the options above (the policy checks liveness and renewals this often).</summary>
    private static TimeSpan WatchdogTick(PostgresFleetPolicyOptions o) =>
        TimeSpan.FromTicks(Math.Max(TimeSpan.FromMilliseconds(10).Ticks, Math.Min(o.HeartbeatInterval.Ticks, o.LossTimeout.Ticks / 10)));

    private static async Task Eventually(Func<bool> condition, string what)
    {
        var watch = Stopwatch.StartNew();
        while (!condition())
        {
            if (watch.Elapsed > Wait) throw new TimeoutException($"Timed out after {watch.Elapsed.TotalSeconds:0.0} s waiting for: {what}");
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
        var options = PostgresFleetPolicyOptions.RegisterLossHandling(new DegradationOptions { Operator = { MinOverrideTtl = TimeSpan.FromSeconds(1), MaxOverrideTtl = TimeSpan.FromSeconds(2) } });
        var member = await StartClockedMemberAsync("renewing", options, configure: o => o.RenewBefore = TimeSpan.FromMilliseconds(1200));
        var halt = await _commands.HaltAsync("op-1", "halt until further notice");
        await member.ProgressUntilAsync(() => member.TimesHandled(halt.CommandId) == 1, "the halt handled");
        Assert.Equal(SystemMode.Halt, member.System.Gate.Mode);

        // Well past the longest local override (2 s) on the system's clock: a Halt has no TTL, so nothing expires.
        for (var i = 0; i < 35; i++)
        {
            member.Advance(TimeSpan.FromMilliseconds(100));
            Assert.Equal(SystemMode.Halt, member.System.Gate.Mode);
        }
        var history = member.System.StateMachine.GetHistory();
        Assert.DoesNotContain(history, t => t.Kind == TransitionKind.OverrideEnded);
        Assert.Single(history, t => t.Kind == TransitionKind.OperatorHalt && t.Details!.Contains(halt.CommandId.ToString()));
        Assert.Equal("op-1", member.System.StateMachine.OperatorHalt!.OperatorId);
        Assert.Equal(1, member.TimesHandled(halt.CommandId));
    }

    [Fact]
    public async Task A_fleet_force_longer_than_the_longest_local_override_is_renewed_before_it_runs_out_even_while_the_database_is_silent()
    {
        await using var proxy = new BlackholeProxy(server.Port);
        var viaProxy = server.ConnectionString.Replace($"Port={server.Port}", $"Port={proxy.Port}", StringComparison.Ordinal);
        var options = PostgresFleetPolicyOptions.RegisterLossHandling(new DegradationOptions { Operator = { MinOverrideTtl = TimeSpan.FromSeconds(1), MaxOverrideTtl = TimeSpan.FromSeconds(2) } });
        var member = await StartClockedMemberAsync("renewing-force", options, viaProxy, o => o.RenewBefore = TimeSpan.FromMilliseconds(1200));
        var force = await _commands.ForceAsync(SystemMode.SafeMode, TimeSpan.FromMinutes(10), "op-1", "long caution");
        await member.ProgressUntilAsync(() => member.TimesHandled(force.CommandId) == 1, "the force handled");
        var installed = member.System.StateMachine.Override!;
        Assert.Equal(TimeSpan.FromSeconds(2), installed.Ttl); // the longest local override, not the command's 10 minutes

        // Renewal is local knowledge: the database falls silent (the loss is reported) and the force still holds.
        proxy.Blackhole();
        var time = member.Time;
        var renewals = 0;
        var current = installed;
        for (var i = 0; i < 100; i++) // 10 s on the system's clock: five times the local override
        {
            member.Advance(TimeSpan.FromMilliseconds(100));
            var now = member.Time.GetTimestamp();
            var active = member.System.StateMachine.Override;
            Assert.NotNull(active);
            Assert.Equal(SystemMode.SafeMode, member.System.Gate.Mode);
            Assert.Equal("op-1", active.OperatorId);
            Assert.True(active.ExpiresAtTimestamp > now, $"the override ran out at step {i}");
            if (!ReferenceEquals(active, current))
            {
                renewals++;
                // Renewed at the first watchdog tick with min(RenewBefore, TTL / 2) = 1 s or less left, for the longest override again.
                Assert.Equal(TimeSpan.FromSeconds(2), active.Ttl);
                var renewedAt = active.ExpiresAtTimestamp - (long)(active.Ttl.TotalSeconds * time.TimestampFrequency);
                var leftWhenRenewed = TimeSpan.FromSeconds((current.ExpiresAtTimestamp - renewedAt) / (double)time.TimestampFrequency);
                Assert.InRange(leftWhenRenewed, TimeSpan.FromSeconds(1) - WatchdogTick(member.Policy.Options), TimeSpan.FromSeconds(1));
                current = active;
            }
        }
        Assert.True(member.Policy.IsPolicyLost);
        Assert.InRange(renewals, 8, 10); // about every second for 10 s
        var history = member.System.StateMachine.GetHistory();
        Assert.DoesNotContain(history, t => t.Reason == ReasonCode.OverrideExpired);
        Assert.All(history.Where(t => t.Kind == TransitionKind.OverrideStarted), t => Assert.Equal("op-1", t.OperatorId));
        Assert.Equal(1, member.TimesHandled(force.CommandId));
    }

    [Fact]
    public async Task A_silent_half_open_channel_is_detected_reported_fail_closed_and_recovered_without_missing_commands()
    {
        await using var proxy = new BlackholeProxy(server.Port);
        var viaProxy = server.ConnectionString.Replace($"Port={server.Port}", $"Port={proxy.Port}", StringComparison.Ordinal);
        var failClosed = PostgresFleetPolicyOptions.RegisterLossHandling(new DegradationOptions { SafeMode = { MinDwell = TimeSpan.Zero } }, SystemMode.SafeMode);
        var member = await StartClockedMemberAsync("partitioned", failClosed, viaProxy);
        var component = new ComponentId(PostgresFleetPolicyOptions.DefaultComponent);
        Assert.Equal(ComponentLevel.Healthy, member.System.StateMachine.GetComponent(component)?.Level);
        Assert.True(member.System.Policy.GetComponent(component)!.Critical);
        Assert.False(member.Policy.IsPolicyLost);
        var lastAnswer = member.Time.GetTimestamp(); // the clock has not moved since the read that made it healthy

        // The channel falls silent. On the system's clock the loss is reported at the first watchdog tick once the
        // loss timeout has passed since the last answer, and not a tick before.
        proxy.Blackhole();
        var lossTimeout = member.Policy.Options.LossTimeout;
        while (member.System.Gate.Mode != SystemMode.SafeMode)
        {
            Assert.True(member.Time.GetElapsedTime(lastAnswer) < lossTimeout + WatchdogTick(member.Policy.Options), "no loss reported after the loss timeout and a watchdog tick");
            member.Advance(TimeSpan.FromMilliseconds(10));
        }
        var detectedAfter = member.Time.GetElapsedTime(lastAnswer);
        output.WriteLine($"silent channel reported after {detectedAfter.TotalMilliseconds:0} ms on the system's clock (loss timeout 1500 ms, heartbeat 200 ms, query timeout 800 ms)");
        Assert.InRange(detectedAfter, lossTimeout, lossTimeout + WatchdogTick(member.Policy.Options));
        Assert.True(member.Policy.IsPolicyLost);
        var lost = member.System.StateMachine.GetHistory().Last(t => t.To == SystemMode.SafeMode);
        Assert.Equal(PostgresFleetPolicyOptions.DefaultLossReason, lost.Reason.Value);
        Assert.Equal(component, lost.Component);

        // The heartbeat on the silent connection times out and drops it (the database cannot answer: any pace will do).
        await member.AdvanceUntilAsync(() => !member.Policy.IsConnected, "the silent connection dropped");

        // A command issued while the process cannot hear: NOTIFY is lost, the table is not.
        var halt = await _commands.HaltAsync("op-1", "issued during the partition");
        member.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(0, member.TimesHandled(halt.CommandId));
        Assert.Equal(SystemMode.SafeMode, member.System.Gate.Mode);

        proxy.Resume();
        await member.ProgressUntilAsync(() => member.TimesHandled(halt.CommandId) == 1, "the halt applied after reconnecting");
        Assert.Equal(SystemMode.Halt, member.System.Gate.Mode);
        await member.ProgressUntilAsync(() => !member.Policy.IsPolicyLost, "loss cleared");
        member.Drive();
        Assert.Empty(member.System.StateMachine.GetComponent(component)!.Conditions); // cleared by the Recovered event
        await member.ProgressUntilAsync(() => member.Policy.Connections >= 2 && member.Policy.IsConnected, "reconnected");
    }

    [Fact]
    public async Task A_silent_channel_is_reported_as_the_policy_lost_even_when_the_report_reaches_the_state_machine_a_second_late()
    {
        // The order in which the loss report and the status expiry reach the state machine is set here, not by the
        // machine's load: the member's bus and re-evaluation run only when the test says so.
        await using var proxy = new BlackholeProxy(server.Port);
        var viaProxy = server.ConnectionString.Replace($"Port={server.Port}", $"Port={proxy.Port}", StringComparison.Ordinal);
        var options = PostgresFleetPolicyOptions.RegisterLossHandling(new DegradationOptions { SafeMode = { MinDwell = TimeSpan.Zero } }, SystemMode.SafeMode);
        var member = await StartClockedMemberAsync("late-report", options, viaProxy);
        var (system, policy, time) = (member.System, member.Policy, member.Time);
        var component = new ComponentId(PostgresFleetPolicyOptions.DefaultComponent);
        Assert.Equal(ComponentLevel.Healthy, system.StateMachine.GetComponent(component)!.Level);
        var lastAnswer = time.GetTimestamp(); // the clock has not moved since the read that made it healthy
        var lossTimeout = policy.Options.LossTimeout;

        // The channel falls silent. Everything runs on time until just before the loss timeout: the status stays fresh.
        proxy.Blackhole();
        while (time.GetElapsedTime(lastAnswer) < lossTimeout - TimeSpan.FromMilliseconds(50))
        {
            member.Advance(TimeSpan.FromMilliseconds(10));
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
        member.Drive();

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
