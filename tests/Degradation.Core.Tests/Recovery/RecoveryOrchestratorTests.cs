using Microsoft.Extensions.Time.Testing;
using Degradation.Testing;
using Degradation.Tests.Scenarios;

namespace Degradation.Tests.Recovery;

public sealed class RecoveryOrchestratorTests : IAsyncLifetime
{
    private readonly FakeTimeProvider _time = new(FakeTimeProviderExtensions.TestStart);
    private DegradationSystem _system = null!;
    private RecoveryOrchestrator _orchestrator = null!;
    private ProgressRecorder _progress = null!;
    private readonly List<string> _log = [];

    private void Create(Action<DegradationOptions>? configure = null)
    {
        _system = TestSystems.Create(_time, configure);
        _orchestrator = new RecoveryOrchestrator(_system);
        _progress = new ProgressRecorder(_orchestrator);
    }

    public Task InitializeAsync() => Task.CompletedTask;

    /// <summary>xunit calls this after each test (it never calls <see cref="IAsyncDisposable"/> on a test class).</summary>
    public async Task DisposeAsync()
    {
        // A test that never calls Create (options validation, pure comparisons) has nothing to dispose.
        if (_orchestrator is not null) await _orchestrator.DisposeAsync();
        if (_system is not null) await _system.DisposeAsync();
    }

    private void Step(RecoveryStage stage, string name, Func<RecoveryStepContext, RecoveryStepResult>? body = null) =>
        _orchestrator.AddStep(stage, new DelegateRecoveryStep(name, (context, _) =>
        {
            lock (_log) _log.Add($"{name}@{_system.Gate.Stage}#{context.Run.Value}");
            return ValueTask.FromResult(body?.Invoke(context) ?? RecoveryStepResult.Success());
        }));

    private void HeartbeatCritical()
    {
        foreach (var component in TestSystems.Critical) _system.Heartbeat(component);
        _system.Bus.ProcessPending();
    }

    [Fact]
    public async Task The_cold_start_run_walks_every_stage_in_order_then_the_state_machine_lands_in_Normal()
    {
        Create(o => o.Recovery.StablePeriod = TimeSpan.FromSeconds(10));
        Step(RecoveryStage.ConnectBroker, "reconnect");
        Step(RecoveryStage.ConnectBroker, "reconcile");
        Step(RecoveryStage.CatchupMarketData, "invalidate-caches");
        Step(RecoveryStage.VerifyRisk, "replay-buffer");
        Step(RecoveryStage.VerifyRisk, "verify-risk");
        Step(RecoveryStage.Ready, "announce");
        var run = _system.StateMachine.ActiveRecoveryRun!.Value;
        HeartbeatCritical();

        _orchestrator.Start();
        var outcome = await _orchestrator.WhenRunFinishedAsync(run).Within();

        Assert.Equal(RecoveryRunStatus.Completed, outcome.Status);
        Assert.Equal(RecoveryTrigger.ColdStart, outcome.Trigger);
        Assert.Equal(["reconnect@ConnectBroker#1", "reconcile@ConnectBroker#1", "invalidate-caches@CatchupMarketData#1",
            "replay-buffer@VerifyRisk#1", "verify-risk@VerifyRisk#1", "announce@Ready#1"], _log);
        Assert.Equal(["reconnect", "reconcile", "invalidate-caches", "replay-buffer", "verify-risk", "announce"], outcome.StepsRun);
        Assert.Equal((SystemMode.Recovering, RecoveryStage.Ready), (_system.Gate.Mode, _system.Gate.Stage));

        _time.Advance(TimeSpan.FromSeconds(10));
        HeartbeatCritical();
        _system.StateMachine.Tick();
        Assert.Equal(SystemMode.Normal, _system.Gate.Mode);
    }

    [Fact]
    public async Task The_plan_tracker_shows_each_phase_its_steps_retries_and_overall_progress()
    {
        Create(o => o.Recovery.StablePeriod = TimeSpan.FromSeconds(10));
        var failures = 1;
        Step(RecoveryStage.ConnectBroker, "reconnect", _ => failures-- > 0 ? RecoveryStepResult.Failure("broker refuses connections") : RecoveryStepResult.Success());
        Step(RecoveryStage.CatchupMarketData, "invalidate-caches");
        Step(RecoveryStage.VerifyRisk, "verify-risk");
        using var tracker = new RecoveryPlanTracker(_orchestrator);
        var retrying = new TaskCompletionSource<RecoveryPlan>(TaskCreationOptions.RunContinuationsAsynchronously);
        var finished = new TaskCompletionSource<RecoveryPlan>(TaskCreationOptions.RunContinuationsAsynchronously);
        tracker.Updated += plan =>
        {
            if (plan.Phases[0].Status == RecoveryPhaseStatus.Retrying) retrying.TrySetResult(plan);
            if (plan.Finished is not null) finished.TrySetResult(plan);
        };
        Assert.Null(tracker.GetPlan().Run);
        var run = _system.StateMachine.ActiveRecoveryRun!.Value;
        HeartbeatCritical();

        _orchestrator.Start();
        var plan = await retrying.Task.Within();

        Assert.Equal(run, plan.Run);
        Assert.Equal([RecoveryStage.ConnectBroker, RecoveryStage.CatchupMarketData, RecoveryStage.VerifyRisk, RecoveryStage.Ready], plan.Phases.Select(p => p.Stage));
        Assert.Equal(1, plan.Phases[0].Attempt);
        Assert.Equal(new RecoveryPlanStep("reconnect", RecoveryPlanStepStatus.Failed), plan.Phases[0].Steps.Single());
        Assert.Equal(RecoveryPhaseStatus.Pending, plan.Phases[1].Status);
        Assert.Equal(0, plan.PercentComplete);
        Assert.Null(plan.Finished);
        Assert.NotEqual(SystemMode.Normal, _system.Gate.Mode);

        _time.Advance((await _progress.WaitForBackoff(1)).Delay!.Value);
        plan = await finished.Task.Within();

        Assert.Equal(RecoveryRunStatus.Completed, plan.Finished);
        Assert.Equal(100, plan.PercentComplete);
        Assert.All(plan.Phases, p => Assert.Equal(RecoveryPhaseStatus.Completed, p.Status));
        Assert.Equal(2, plan.Phases[0].Attempt);
        Assert.All(plan.Phases.SelectMany(p => p.Steps), s => Assert.Equal(RecoveryPlanStepStatus.Succeeded, s.Status));
    }

    [Fact]
    public async Task A_configured_backoff_schedule_replaces_the_exponential_series_and_its_last_delay_repeats()
    {
        Create(o => { o.Recovery.MaxAttempts = 6; o.Recovery.BackoffSchedule = [TimeSpan.FromSeconds(10), TimeSpan.FromSeconds(20), TimeSpan.FromSeconds(30), TimeSpan.FromSeconds(60)]; });
        Step(RecoveryStage.ConnectBroker, "reconnect", _ => RecoveryStepResult.Failure("broker refuses connections"));
        var run = _system.StateMachine.ActiveRecoveryRun!.Value;

        _orchestrator.Start();
        var delays = new List<TimeSpan>();
        for (var i = 1; i <= 5; i++)
        {
            var backoff = await _progress.WaitForBackoff(i);
            delays.Add(backoff.Delay!.Value);
            Assert.NotEqual(SystemMode.Normal, _system.Gate.Mode); // retrying never opens the gate
            _time.Advance(backoff.Delay.Value);
        }
        var outcome = await _orchestrator.WhenRunFinishedAsync(run).Within();

        Assert.Equal([10, 20, 30, 60, 60], delays.Select(d => d.TotalSeconds));
        Assert.Equal([10, 20, 30, 60], _orchestrator.Schedule!.Delays.Select(d => d.TotalSeconds));
        Assert.Equal(RecoveryRunStatus.Failed, outcome.Status);
        Assert.Equal(SystemMode.Halt, _system.Gate.Mode);
    }

    [Fact]
    public void A_backoff_schedule_with_a_non_positive_delay_is_refused_naming_its_position()
    {
        var options = new DegradationOptions { Recovery = { BackoffSchedule = [TimeSpan.FromSeconds(10), TimeSpan.Zero] } };
        var error = Assert.Throws<DegradationOptionsException>(() => DegradationSystem.Create(options));
        Assert.Contains("Degradation:Recovery:BackoffSchedule:1 must be > 0 (was 00:00:00)", error.Message);
        Assert.Null(BackoffSchedule.ForRecovery(new DegradationOptions())); // default: exponential, as before
        Assert.Throws<ArgumentException>(() => new BackoffSchedule([]));
    }

    [Fact]
    public async Task Stage_backoff_delays_are_exactly_the_configured_series_then_recovery_failed_halts()
    {
        Create(o => { o.Recovery.MaxAttempts = 4; o.Recovery.BackoffBase = TimeSpan.FromSeconds(1); o.Recovery.BackoffMax = TimeSpan.FromMilliseconds(2500); });
        var attempts = new List<long>();
        Step(RecoveryStage.ConnectBroker, "reconnect", c => { attempts.Add(_time.GetTimestamp()); return RecoveryStepResult.Failure("broker refuses connections"); });
        var run = _system.StateMachine.ActiveRecoveryRun!.Value;

        _orchestrator.Start();
        var delays = new List<TimeSpan>();
        for (var i = 1; i <= 3; i++)
        {
            var backoff = await _progress.WaitForBackoff(i);
            delays.Add(backoff.Delay!.Value);
            _time.Advance(backoff.Delay.Value);
        }
        var outcome = await _orchestrator.WhenRunFinishedAsync(run).Within();

        Assert.Equal([1000, 2000, 2500], delays.Select(d => d.TotalMilliseconds));
        Assert.Equal([0, 1000, 3000, 5500], attempts.Select(a => TimeSpan.FromTicks(a - attempts[0]).TotalMilliseconds));
        Assert.Equal(RecoveryRunStatus.Failed, outcome.Status);
        Assert.Contains("broker refuses connections", outcome.Details);
        Assert.Equal(SystemMode.Halt, _system.Gate.Mode);
        Assert.Contains(_system.StateMachine.GetComponent(ComponentId.System)!.Conditions, c => c.Reason == ReasonCode.RecoveryFailed);
    }

    [Fact]
    public async Task A_failed_stage_is_retried_from_its_failed_step()
    {
        Create();
        var failures = 1;
        Step(RecoveryStage.ConnectBroker, "reconnect");
        Step(RecoveryStage.ConnectBroker, "reconcile", _ => failures-- > 0 ? RecoveryStepResult.Failure("positions endpoint 503") : RecoveryStepResult.Success());
        var run = _system.StateMachine.ActiveRecoveryRun!.Value;

        _orchestrator.Start();
        var backoff = await _progress.WaitForBackoff(1);
        Assert.Equal(_system.Options.Recovery.BackoffBase, backoff.Delay);
        _time.Advance(backoff.Delay!.Value);
        var outcome = await _orchestrator.WhenRunFinishedAsync(run).Within();

        Assert.Equal(RecoveryRunStatus.Completed, outcome.Status);
        Assert.Equal(["reconnect@ConnectBroker#1", "reconcile@ConnectBroker#1", "reconcile@ConnectBroker#1"], _log);
    }

    [Fact]
    public async Task A_throwing_step_is_a_retryable_failure()
    {
        Create();
        var calls = 0;
        _orchestrator.AddStep(RecoveryStage.VerifyRisk, "verify-risk", _ => ++calls == 1 ? throw new InvalidOperationException("risk service 500") : ValueTask.CompletedTask);
        var run = _system.StateMachine.ActiveRecoveryRun!.Value;

        _orchestrator.Start();
        var failed = await _progress.WaitFor(p => p.Kind == RecoveryProgressKind.StepFailed);
        Assert.Contains("risk service 500", failed.Details);
        _time.Advance((await _progress.WaitForBackoff(1)).Delay!.Value);

        Assert.Equal(RecoveryRunStatus.Completed, (await _orchestrator.WhenRunFinishedAsync(run).Within()).Status);
        Assert.Equal(2, calls);
    }

    [Fact]
    public async Task A_stage_that_exceeds_its_timeout_is_cancelled_and_retried()
    {
        Create(o => o.Recovery.StageTimeout = TimeSpan.FromSeconds(5));
        var calls = 0;
        var cancelled = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _orchestrator.AddStep(RecoveryStage.ConnectBroker, new DelegateRecoveryStep("reconnect", (_, ct) =>
        {
            if (++calls > 1) return ValueTask.FromResult(RecoveryStepResult.Success());
            ct.Register(() => cancelled.TrySetResult());
            return new ValueTask<RecoveryStepResult>(new TaskCompletionSource<RecoveryStepResult>().Task); // hangs, ignores the token
        }));
        var run = _system.StateMachine.ActiveRecoveryRun!.Value;

        _orchestrator.Start();
        await _progress.WaitFor(p => p.Kind == RecoveryProgressKind.StepStarted);
        _time.Advance(TimeSpan.FromSeconds(5));
        var failed = await _progress.WaitFor(p => p.Kind == RecoveryProgressKind.StepFailed);
        await cancelled.Task.Within();
        Assert.Contains("timed out after 5000 ms", failed.Details);
        _time.Advance((await _progress.WaitForBackoff(1)).Delay!.Value);

        Assert.Equal(RecoveryRunStatus.Completed, (await _orchestrator.WhenRunFinishedAsync(run).Within()).Status);
        Assert.Equal(2, calls);
    }

    [Fact]
    public async Task A_reconciliation_mismatch_reports_broker_mismatch_and_halts_without_retrying()
    {
        Create();
        var local = new Dictionary<string, decimal> { ["AAPL"] = 100, ["MSFT"] = 5 };
        var broker = new Dictionary<string, decimal> { ["AAPL"] = 90, ["MSFT"] = 5, ["TSLA"] = 1 };
        _orchestrator.AddStep(RecoveryStage.ConnectBroker, new PositionReconciliationStep(
            _ => ValueTask.FromResult<IReadOnlyDictionary<string, decimal>>(local),
            _ => ValueTask.FromResult<IReadOnlyDictionary<string, decimal>>(broker)));
        var run = _system.StateMachine.ActiveRecoveryRun!.Value;

        _orchestrator.Start();
        var outcome = await _orchestrator.WhenRunFinishedAsync(run).Within();

        Assert.Equal(RecoveryRunStatus.Fatal, outcome.Status);
        Assert.Equal(SystemMode.Halt, _system.Gate.Mode);
        var condition = Assert.Single(_system.StateMachine.GetComponent(ComponentId.Broker)!.Conditions);
        Assert.Equal(ReasonCode.BrokerMismatch, condition.Reason);
        Assert.Contains("AAPL: local 100, broker 90", outcome.Details);
        Assert.Contains("TSLA: local 0, broker 1", outcome.Details);
        Assert.DoesNotContain(_progress.Items, p => p.Kind == RecoveryProgressKind.BackoffScheduled);
    }

    [Fact]
    public async Task A_stale_run_cannot_advance_the_stage_and_its_steps_are_cancelled()
    {
        Create();
        var release = new TaskCompletionSource<RecoveryStepResult>(TaskCreationOptions.RunContinuationsAsynchronously);
        var cancelled = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _orchestrator.AddStep(RecoveryStage.ConnectBroker, new DelegateRecoveryStep("reconnect", (context, ct) =>
        {
            lock (_log) _log.Add($"reconnect#{context.Run.Value}");
            if (context.Run.Value > 1) return ValueTask.FromResult(RecoveryStepResult.Success());
            ct.Register(() => cancelled.TrySetResult());
            return new ValueTask<RecoveryStepResult>(release.Task);
        }));
        var run1 = _system.StateMachine.ActiveRecoveryRun!.Value;
        _orchestrator.Start();
        await _progress.WaitFor(p => p.Kind == RecoveryProgressKind.StepStarted);

        var run2 = _system.StateMachine.StartRecovery("ops-1", "restart recovery");
        await cancelled.Task.Within();
        release.SetResult(RecoveryStepResult.Success()); // the stale run's step finishes late

        var outcome1 = await _orchestrator.WhenRunFinishedAsync(run1).Within();
        var outcome2 = await _orchestrator.WhenRunFinishedAsync(run2).Within();
        Assert.Equal(RecoveryRunStatus.Superseded, outcome1.Status);
        Assert.Equal(RecoveryRunStatus.Completed, outcome2.Status);
        Assert.Equal(RecoveryTrigger.Manual, outcome2.Trigger);
        Assert.Equal(RecoveryStage.Ready, _system.Gate.Stage);
        Assert.False(_system.StateMachine.TryAdvanceStage(run1, RecoveryStage.CatchupMarketData));
        Assert.DoesNotContain(_system.StateMachine.GetHistory(), t => t.Kind == TransitionKind.StageChange && t.RecoveryRun == run1);
    }

    [Fact]
    public async Task An_escalation_during_recovery_aborts_the_run()
    {
        Create();
        var cancelled = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _orchestrator.AddStep(RecoveryStage.ConnectBroker, new DelegateRecoveryStep("reconnect", (_, ct) =>
        {
            ct.Register(() => cancelled.TrySetResult());
            return new ValueTask<RecoveryStepResult>(new TaskCompletionSource<RecoveryStepResult>().Task);
        }));
        var run = _system.StateMachine.ActiveRecoveryRun!.Value;
        _orchestrator.Start();
        await _progress.WaitFor(p => p.Kind == RecoveryProgressKind.StepStarted);

        _system.ReportFailure(ComponentId.Broker, ReasonCode.BrokerDisconnect);

        await cancelled.Task.Within();
        Assert.Equal(RecoveryRunStatus.Superseded, (await _orchestrator.WhenRunFinishedAsync(run).Within()).Status);
        Assert.Equal(SystemMode.SafeModeDisconnected, _system.Gate.Mode);
    }

    [Fact]
    public async Task Auto_and_manual_runs_are_picked_up_from_the_transitions()
    {
        Create(o => { o.SafeMode.MinDwell = TimeSpan.FromSeconds(30); });
        Step(RecoveryStage.ConnectBroker, "reconnect");
        _orchestrator.Start();
        await _orchestrator.WhenRunFinishedAsync(_system.StateMachine.ActiveRecoveryRun!.Value).Within();

        // Auto: market data stale → SafeMode; it clears; after the dwell the state machine starts a run by itself.
        _system.ReportFailure(ComponentId.MarketData, ReasonCode.MarketDataStale);
        _system.ReportRecovered(ComponentId.MarketData);
        _system.Bus.ProcessPending();
        _time.Advance(TimeSpan.FromSeconds(30));
        _system.StateMachine.Tick();
        var autoRun = _system.StateMachine.ActiveRecoveryRun!.Value;
        var auto = await _orchestrator.WhenRunFinishedAsync(autoRun).Within();
        Assert.Equal((RecoveryRunStatus.Completed, RecoveryTrigger.Auto), (auto.Status, auto.Trigger));

        // Manual: an operator releases a Halt.
        _system.ReportFailure(ComponentId.Risk, ReasonCode.RiskBreachHard);
        Assert.True(_system.StateMachine.ReleaseHalt("ops-1", "limits reviewed", acknowledge: [ReasonCode.RiskBreachHard]).Accepted);
        var manualRun = _system.StateMachine.ActiveRecoveryRun!.Value;
        var manual = await _orchestrator.WhenRunFinishedAsync(manualRun).Within();
        Assert.Equal((RecoveryRunStatus.Completed, RecoveryTrigger.Manual), (manual.Status, manual.Trigger));
        Assert.Equal(["reconnect@ConnectBroker#1", $"reconnect@ConnectBroker#{autoRun.Value}", $"reconnect@ConnectBroker#{manualRun.Value}"], _log);
    }

    [Fact]
    public async Task Delegate_steps_fail_on_false_and_a_throwing_progress_observer_is_harmless()
    {
        Create(o => o.Recovery.MaxAttempts = 1);
        _orchestrator.Progress += _ => throw new InvalidOperationException("observer bug");
        _orchestrator.AddStep(RecoveryStage.CatchupMarketData, new DelegateRecoveryStep("catch up", _ => ValueTask.FromResult(false)));
        var run = _system.StateMachine.ActiveRecoveryRun!.Value;

        _orchestrator.Start();
        var outcome = await _orchestrator.WhenRunFinishedAsync(run).Within();

        Assert.Equal(RecoveryRunStatus.Failed, outcome.Status);
        Assert.Contains("step 'catch up' reported failure", outcome.Details);
        Assert.Equal(SystemMode.Halt, _system.Gate.Mode);
    }

    [Fact]
    public async Task Stopping_cancels_the_run_in_progress()
    {
        Create();
        _orchestrator.AddStep(RecoveryStage.ConnectBroker, new DelegateRecoveryStep("reconnect", (_, ct) =>
            new ValueTask<RecoveryStepResult>(Task.Delay(Timeout.Infinite, ct).ContinueWith(_ => RecoveryStepResult.Success(), TaskScheduler.Default))));
        var run = _system.StateMachine.ActiveRecoveryRun!.Value;
        _orchestrator.Start();
        await _progress.WaitFor(p => p.Kind == RecoveryProgressKind.StepStarted);

        await _orchestrator.StopAsync().Within();

        Assert.Equal(RecoveryRunStatus.Stopped, (await _orchestrator.WhenRunFinishedAsync(run).Within()).Status);
    }

    [Fact]
    public void Positions_are_compared_with_a_tolerance()
    {
        var local = new Dictionary<string, decimal> { ["A"] = 1.0m, ["B"] = 2m };
        var broker = new Dictionary<string, decimal> { ["A"] = 1.05m, ["B"] = 2m };
        Assert.Empty(PositionReconciliationStep.Compare(local, broker, tolerance: 0.1m));
        Assert.Equal(["A: local 1.0, broker 1.05"], PositionReconciliationStep.Compare(local, broker));
    }
}
