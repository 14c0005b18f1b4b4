using Microsoft.Extensions.Time.Testing;

namespace Degradation.Tests.Composition;

/// <summary>
/// The composition root: what a built runtime opens before its gate can be read, the order it starts and stops in,
/// and that a start that fails or is cancelled leaves the gate shut.
/// </summary>
public class DegradationRuntimeTests
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(30); // an upper bound for a hung test, not a timing assumption
    private static readonly ComponentId[] Critical = [ComponentId.Broker, ComponentId.MarketData, ComponentId.Risk];
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 30, 9, 0, 0, TimeSpan.Zero));

    private DegradationSystemBuilder Builder() => new(new DegradationOptions(), _time);

    [Fact]
    public async Task A_stored_operator_Halt_is_the_first_snapshot_and_nothing_during_or_after_start_opens_the_gate()
    {
        var store = new StoredOperatorState();
        var earlier = new DegradationStateMachine(new DegradationPolicy(new DegradationOptions()), _time, store);
        Assert.True(earlier.Halt("carol", "runaway algo").Durable);
        await earlier.DisposeAsync();

        var seen = new List<string>();
        void Look(DegradationRuntime runtime, string where) =>
            seen.Add($"{where}: {runtime.Gate.Mode} send={runtime.Gate.Allows(ActionType.Send)} open={runtime.Gate.Allows(ActionType.Open)}");
        var builder = Builder()
            .UseOperatorStateStore(store)
            .UseWalStore((runtime, _) => { Look(runtime, "wal"); return ValueTask.FromResult<IWalStore>(new InMemoryWalStore()); })
            .AddWriteBuffer(runtime => { Look(runtime, "write target"); return new AcceptingTarget(); })
            .AddRecoveryStep(RecoveryStage.ConnectBroker, runtime => { Look(runtime, "recovery step"); return new PassingStep("reconnect"); })
            .AddProbe(ComponentId.Broker, critical: true, runtime => { Look(runtime, "probe"); return new HealthyProbe(ComponentId.Broker, new Journal()); });

        await using var runtime = builder.Build();
        Assert.Equal(SystemMode.Halt, runtime.Gate.Snapshot.Mode); // the first thing anyone can read
        Assert.Equal(ReasonCode.OperatorHalt, runtime.Gate.Snapshot.Reason);
        await runtime.StartAsync();
        Assert.Equal(
            ["wal: Halt send=False open=False", "write target: Halt send=False open=False", "recovery step: Halt send=False open=False", "probe: Halt send=False open=False"],
            seen);

        // Try to open it: every critical component healthy, recovery complete, a day passes.
        foreach (var component in Critical) runtime.System.Heartbeat(component);
        runtime.System.ReportRecovered(ComponentId.System);
        await runtime.System.Bus.DrainAsync().WaitAsync(Wait);
        _time.Advance(TimeSpan.FromDays(1));
        runtime.System.StateMachine.Tick();
        Assert.Equal(SystemMode.Halt, runtime.Gate.Mode);
        Assert.False(runtime.Gate.Allows(ActionType.Send));
        Assert.Equal("carol", runtime.System.StateMachine.OperatorHalt!.OperatorId);
    }

    [Fact]
    public async Task Start_opens_stores_then_creates_steps_and_probes_and_starts_probes_last_stop_runs_in_reverse()
    {
        var journal = new Journal();
        static string Describe(DegradationRuntime r) =>
            $"bus {(r.System.Bus.IsRunning ? "on" : "off")}, probes {(r.Probes.IsRunning ? "on" : "off")}, alerts {(r.Alerts.IsRunning ? "on" : "off")}, buffer {(r.WriteBuffer is null ? "closed" : "open")}";
        DegradationRuntime? built = null;
        var wal = new RecordingWalStore(journal, () => Describe(built!));
        var probe = default(HealthyProbe);
        var audit = new ListAuditStore();
        var builder = Builder()
            .AddAuditStore(audit)
            .AddAlertSink(new NullSink())
            .UseWalStore((r, _) => { journal.Add("wal opened: " + Describe(r)); return ValueTask.FromResult<IWalStore>(wal); })
            .AddWriteBuffer(r => { journal.Add("write target created: " + Describe(r)); return new AcceptingTarget(); })
            .AddRecoveryStep(RecoveryStage.VerifyRisk, r => { journal.Add("recovery step created: " + Describe(r)); return new PassingStep("verify"); })
            .AddProbe(ComponentId.Broker, critical: true, r =>
            {
                journal.Add("probe created: " + Describe(r));
                return probe = new HealthyProbe(ComponentId.Broker, journal, () => Describe(r));
            });

        await using var runtime = built = builder.Build();
        await runtime.StartAsync();
        Assert.True(runtime.IsRunning);
        Assert.NotNull(runtime.WriteBufferReplay);
        Assert.Contains(runtime.WriteBufferReplay, runtime.Recovery.GetSteps(RecoveryStage.CatchupMarketData));
        Assert.Single(runtime.Recovery.GetSteps(RecoveryStage.VerifyRisk));
        await probe!.FirstRound.WaitAsync(Wait);
        await runtime.StopAsync();

        Assert.Equal(
        [
            "wal opened: bus off, probes off, alerts off, buffer closed",
            "write target created: bus off, probes off, alerts off, buffer closed",
            "recovery step created: bus off, probes off, alerts on, buffer open",
            "probe created: bus off, probes off, alerts on, buffer open",
            "probe broker first round: bus on, probes on, alerts on, buffer open",
            // Probes and the bus stopped before the log is flushed; alerts still deliver until the very end.
            "wal flushed: bus off, probes off, alerts on, buffer open",
        ], journal.Lines);
        Assert.False(runtime.Alerts.IsRunning);
        Assert.Equal(ReasonCode.ColdStart, audit.Transitions[0].Reason); // attached before anything ran: it saw the cold start
        Assert.Equal(1, wal.Disposals);
    }

    [Fact]
    public async Task A_failing_start_step_shuts_the_gate_says_why_and_stops_what_had_started()
    {
        var journal = new Journal();
        var wal = new RecordingWalStore(journal);
        var audit = new ListAuditStore();
        var builder = Builder()
            .AddAuditStore(audit)
            .UseWalStore(wal)
            .AddWriteBuffer(new AcceptingTarget())
            .AddProbe(ComponentId.Broker, critical: true, _ => new HealthyProbe(ComponentId.Risk, journal)); // the wrong component

        await using var runtime = builder.Build();
        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => runtime.StartAsync());
        Assert.Contains("'risk'", error.Message);
        Assert.Contains("'broker'", error.Message);

        Assert.False(runtime.IsRunning);
        Assert.False(runtime.Gate.Allows(ActionType.Send));
        Assert.Equal(SystemMode.SafeMode, runtime.Gate.Mode);
        Assert.Contains(runtime.System.StateMachine.GetConditions(), c => c.Reason == RuntimeReasons.StartFailed && c.Component == ComponentId.System);
        Assert.Contains(audit.Transitions, t => t.Reason == RuntimeReasons.StartFailed); // told before the audit was detached
        Assert.Equal(1, wal.Disposals); // what had opened was flushed and closed
        Assert.False(runtime.System.Bus.IsRunning);
        Assert.False(runtime.Probes.IsRunning);

        // Try to open it: healthy reports and time do not clear a failed start, and the runtime does not start again.
        foreach (var component in Critical)
            runtime.System.StateMachine.Apply(SystemEvent.Create(_time, EventType.Heartbeat, component));
        _time.Advance(TimeSpan.FromHours(1));
        runtime.System.StateMachine.Tick();
        Assert.False(runtime.Gate.Allows(ActionType.Send));
        var again = await Assert.ThrowsAsync<InvalidOperationException>(() => runtime.StartAsync());
        Assert.Contains("starts once", again.Message);
    }

    [Fact]
    public async Task A_write_ahead_log_that_cannot_open_fails_the_start_before_anything_else_is_created()
    {
        var created = new List<string>();
        var builder = Builder()
            .UseWalStore((_, _) => throw new IOException("disk on fire"))
            .AddWriteBuffer(_ => { created.Add("target"); return new AcceptingTarget(); })
            .AddRecoveryStep(RecoveryStage.ConnectBroker, _ => { created.Add("step"); return new PassingStep("x"); })
            .AddProbe(ComponentId.Broker, critical: true, _ => { created.Add("probe"); return new HealthyProbe(ComponentId.Broker, new Journal()); });

        await using var runtime = builder.Build();
        var error = await Assert.ThrowsAsync<IOException>(() => runtime.StartAsync());
        Assert.Equal("disk on fire", error.Message);
        Assert.Empty(created);
        Assert.Null(runtime.WriteBuffer);
        Assert.False(runtime.Gate.Allows(ActionType.Send));
        Assert.Equal(SystemMode.SafeMode, runtime.Gate.Mode);
    }

    [Fact]
    public async Task Cancelling_the_start_while_the_log_opens_fails_closed_and_creates_nothing_more()
    {
        var opening = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var probes = 0;
        var builder = Builder()
            .UseWalStore(async (_, cancellationToken) =>
            {
                opening.SetResult();
                await new TaskCompletionSource().Task.WaitAsync(cancellationToken); // opens only when cancelled
                return new InMemoryWalStore();
            })
            .AddWriteBuffer(new AcceptingTarget())
            .AddProbe(ComponentId.Broker, critical: true, _ => { probes++; return new HealthyProbe(ComponentId.Broker, new Journal()); });

        await using var runtime = builder.Build();
        using var cancellation = new CancellationTokenSource();
        var start = runtime.StartAsync(cancellation.Token);
        await opening.Task.WaitAsync(Wait);
        await cancellation.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => start);
        Assert.Equal(0, probes);
        Assert.False(runtime.IsRunning);
        Assert.False(runtime.Gate.Allows(ActionType.Send));
        Assert.Contains(runtime.System.StateMachine.GetConditions(), c => c.Reason == RuntimeReasons.StartFailed);

        // A start whose token is already cancelled never runs anything either.
        await using var second = Builder().Build();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => second.StartAsync(new CancellationToken(canceled: true)));
        Assert.False(second.System.Bus.IsRunning);
        Assert.False(second.Gate.Allows(ActionType.Send));
    }

    [Fact]
    public async Task A_cancelled_stop_reports_the_step_it_cut_short_and_still_runs_the_rest()
    {
        var journal = new Journal();
        var hold = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var wal = new RecordingWalStore(journal) { HoldFlush = hold.Task };
        await using var runtime = Builder().UseWalStore(wal).AddWriteBuffer(new AcceptingTarget()).AddAlertSink(new NullSink()).Build();
        await runtime.StartAsync();

        using var cancellation = new CancellationTokenSource();
        var stop = runtime.StopAsync(cancellation.Token);
        await wal.DisposeEntered.Task.WaitAsync(Wait); // the flush hangs
        await cancellation.CancelAsync();
        var failure = await Assert.ThrowsAsync<AggregateException>(() => stop);
        // The flush was cut short; a later step may be too (its wait sees the same cancelled token), but it ran.
        var steps = failure.InnerExceptions.Select(e => Assert.IsType<DegradationStepException>(e)).ToList();
        var step = steps[0];
        Assert.Equal("flush write-ahead log", step.Step);
        Assert.All(steps.Skip(1), s => Assert.Equal("stop alerts", s.Step));
        Assert.IsAssignableFrom<OperationCanceledException>(step.InnerException);
        Assert.Contains("flush write-ahead log", failure.Message);
        Assert.False(runtime.Alerts.IsRunning); // the step after it ran
        hold.SetResult();
    }

    [Fact]
    public async Task Dispose_and_stop_are_idempotent_and_a_disposed_runtime_refuses_to_start()
    {
        var journal = new Journal();
        var wal = new RecordingWalStore(journal);
        var runtime = Builder().UseWalStore(wal).AddWriteBuffer(new AcceptingTarget()).Build();
        await runtime.StartAsync();
        await runtime.StartAsync(); // idempotent once started
        await runtime.DisposeAsync();
        await runtime.DisposeAsync();
        await runtime.StopAsync();
        Assert.Equal(1, wal.Disposals);
        Assert.False(runtime.IsRunning);
        await Assert.ThrowsAsync<ObjectDisposedException>(() => runtime.StartAsync());
        await Assert.ThrowsAsync<ObjectDisposedException>(() => runtime.OpenAsync());
    }

    [Fact]
    public async Task BuildAsync_opens_the_write_buffer_before_anything_runs_and_adds_scopes_and_kill_switch_actions()
    {
        var action = new NamedAction("venue-mass-cancel");
        await using var runtime = await Builder()
            .UseInMemoryWal()
            .AddWriteBuffer(new AcceptingTarget(), replayStage: null)
            .AddScope("venue-a/acct-1", new ScopeOptions())
            .AddScope("venue-a")
            .AddKillSwitchAction(action)
            .BuildAsync();

        Assert.NotNull(runtime.WriteBuffer);
        Assert.IsType<InMemoryWalStore>(runtime.WalStore);
        Assert.Null(runtime.WriteBufferReplay);
        Assert.False(runtime.System.Bus.IsRunning);
        Assert.True(runtime.System.Scopes.TryResolve("venue-a/acct-1", out _));
        await runtime.StartAsync();
        runtime.System.StateMachine.Halt("carol", "test");
        await runtime.System.StateMachine.FlushObserversAsync().WaitAsync(Wait);
        await runtime.System.KillSwitch.WhenIdleAsync().WaitAsync(Wait);
        Assert.Equal(1, action.Runs);
    }

    [Fact]
    public async Task The_builder_refuses_a_write_buffer_without_a_log_and_builds_once()
    {
        var noLog = Builder().AddWriteBuffer(new AcceptingTarget());
        var error = Assert.Throws<InvalidOperationException>(() => noLog.Build());
        Assert.Contains("UseFileWal", error.Message);
        Assert.Contains("UseInMemoryWal", error.Message);

        var builder = Builder();
        await using var built = builder.Build();
        Assert.Throws<InvalidOperationException>(() => builder.Build());
        Assert.Throws<InvalidOperationException>(() => builder.AddComponent("late", critical: true));
    }

    [Fact]
    public void Registrations_name_their_bad_values()
    {
        var builder = Builder();
        Assert.Throws<ArgumentOutOfRangeException>(() => builder.AddProbe(ComponentId.Broker, true, _ => null!, s => s.Interval = TimeSpan.Zero));
        Assert.Throws<ArgumentOutOfRangeException>(() => builder.AddRecoveryStep((RecoveryStage)42, new PassingStep("x")));
        Assert.Contains("'flat'", Assert.Throws<ArgumentOutOfRangeException>(() => builder.AddComponent("flat", true, statusTtl: TimeSpan.Zero)).Message);
        Assert.Throws<ArgumentException>(() => builder.AddScope(""));
        Assert.Throws<ArgumentException>(() => builder.AddScope("a//b"));
        builder.AddScope("venue-b", new ScopeOptions());
        Assert.Throws<InvalidOperationException>(() => builder.AddScope("venue-b", new ScopeOptions()));
    }

    private sealed class NullSink : IAlertSink
    {
        public ValueTask SendAsync(Alert alert, CancellationToken cancellationToken) => ValueTask.CompletedTask;
    }

    private sealed class NamedAction(string name) : IKillSwitchAction
    {
        private int _runs;

        public string Name => name;

        public int Runs => Volatile.Read(ref _runs);

        public Task ExecuteAsync(KillSwitchContext context, CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref _runs);
            return Task.CompletedTask;
        }
    }
}
