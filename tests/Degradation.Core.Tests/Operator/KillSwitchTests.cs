using Microsoft.Extensions.Time.Testing;

namespace Degradation.Tests.Operator;

/// <summary>Kill-switch actions run once per entry into Halt, concurrently, each under a timeout, with visible outcomes.</summary>
public class KillSwitchTests
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(30); // an upper bound for a hung test, not a timing assumption
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 30, 9, 0, 0, TimeSpan.Zero));

    [Fact]
    public async Task Actions_run_concurrently_once_per_entry_into_Halt_operator_or_automatic()
    {
        await using var system = DegradationSystem.Create(new DegradationOptions(), _time);
        var cancelAll = new RendezvousAction("venue-mass-cancel");
        var flatten = new RendezvousAction("risk-desk-page");
        cancelAll.Partner = flatten;
        flatten.Partner = cancelAll; // each waits for the other to have started: only concurrent runs finish
        system.AddKillSwitchAction(cancelAll).AddKillSwitchAction(flatten);
        system.Start();

        var halted = system.StateMachine.Halt("carol", "runaway algo");
        await system.StateMachine.FlushObserversAsync().WaitAsync(Wait);
        Assert.Equal(1, cancelAll.Runs);
        Assert.Equal(1, flatten.Runs);
        Assert.Equal(halted.Transition!.Sequence, cancelAll.LastContext!.HaltSequence);
        Assert.Equal("carol", cancelAll.LastContext.OperatorId);
        Assert.Equal(ReasonCode.OperatorHalt, cancelAll.LastContext.Reason);
        Assert.All(system.KillSwitchOutcomes, o => Assert.Equal(KillSwitchActionStatus.Succeeded, o.Status));
        Assert.Equal(["venue-mass-cancel", "risk-desk-page"], system.KillSwitchOutcomes.Select(o => o.Name));

        // Still halted: neither a second operator Halt nor an automatic Halt condition is a new entry.
        system.StateMachine.Halt("dave", "again");
        system.ReportFailure(ComponentId.Broker, ReasonCode.BrokerMismatch);
        await system.Bus.DrainAsync().WaitAsync(Wait);
        await system.StateMachine.FlushObserversAsync().WaitAsync(Wait);
        Assert.Equal(1, cancelAll.Runs);

        cancelAll.Reset();
        flatten.Reset();
        Assert.True(system.StateMachine.ReleaseHalt("carol", "fixed", acknowledge: [ReasonCode.BrokerMismatch]).Accepted);
        system.ReportFailure(ComponentId.Risk, ReasonCode.RiskBreachHard); // an automatic Halt: a new entry
        await system.Bus.DrainAsync().WaitAsync(Wait);
        await system.StateMachine.FlushObserversAsync().WaitAsync(Wait);
        Assert.Equal(2, cancelAll.Runs);
        Assert.Equal(2, flatten.Runs);
        Assert.Null(cancelAll.LastContext!.OperatorId);
        Assert.Equal(ReasonCode.RiskBreachHard, cancelAll.LastContext.Reason);
        Assert.Equal(SystemMode.Halt, system.Gate.Mode);
    }

    [Fact]
    public async Task A_failing_or_hanging_action_is_reported_and_never_stops_the_others_or_opens_the_gate()
    {
        await using var system = DegradationSystem.Create(new DegradationOptions { Operator = { KillSwitchActionTimeout = TimeSpan.FromSeconds(5) } }, _time);
        var ok = new RendezvousAction("ok");
        var hanging = new HangingAction("stuck-venue", honoursCancellation: true);
        var deaf = new HangingAction("deaf-venue", honoursCancellation: false);
        system.AddKillSwitchAction(new FailingAction()).AddKillSwitchAction(hanging).AddKillSwitchAction(deaf).AddKillSwitchAction(ok);
        var recorded = new List<KillSwitchActionOutcome>();
        // The quick actions must have finished before the clock reaches the timeout; on a busy machine their thread
        // may not even have started yet, and their timeout would then be the honest outcome.
        var quickOnesFinished = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        system.KillSwitch.OutcomeRecorded += o =>
        {
            lock (recorded)
            {
                recorded.Add(o);
                if (recorded.Count(r => r.Name is "ok" or "venue-rejects" && r.Status != KillSwitchActionStatus.Running) == 2)
                    quickOnesFinished.TrySetResult();
            }
        };
        system.Start();

        system.StateMachine.Halt("carol", "drill");
        await Task.WhenAll(hanging.Started.Task, deaf.Started.Task, quickOnesFinished.Task).WaitAsync(Wait);
        Assert.Contains(system.KillSwitchOutcomes, o => o.Name == "stuck-venue" && o.Status == KillSwitchActionStatus.Running && o.CompletedAt is null);
        _time.Advance(TimeSpan.FromSeconds(5));
        await system.KillSwitch.WhenIdleAsync().WaitAsync(Wait);

        var outcomes = system.KillSwitchOutcomes.ToDictionary(o => o.Name);
        Assert.Equal(KillSwitchActionStatus.Failed, outcomes["venue-rejects"].Status);
        Assert.Contains("venue said no", outcomes["venue-rejects"].Details);
        Assert.Equal(KillSwitchActionStatus.TimedOut, outcomes["stuck-venue"].Status);
        Assert.Equal(KillSwitchActionStatus.TimedOut, outcomes["deaf-venue"].Status);
        Assert.Equal(KillSwitchActionStatus.Succeeded, outcomes["ok"].Status);
        Assert.All(outcomes.Values, o => Assert.NotNull(o.CompletedAt));
        Assert.Equal(3, system.KillSwitch.Failures);
        lock (recorded) Assert.Equal(8, recorded.Count); // started and finished, for each of the four
        Assert.Equal(SystemMode.Halt, system.Gate.Mode);
        deaf.Release.TrySetResult();
    }

    [Fact]
    public void Options_refuse_a_non_positive_timeout_naming_it()
    {
        var error = Assert.Throws<DegradationOptionsException>(() => DegradationSystem.Create(new DegradationOptions { Operator = { KillSwitchActionTimeout = TimeSpan.Zero } }, _time));
        Assert.Contains(nameof(OperatorOptions.KillSwitchActionTimeout), error.Message);
    }

    private sealed class RendezvousAction(string name) : IKillSwitchAction
    {
        private int _runs;
        public RendezvousAction? Partner { get; set; }
        public TaskCompletionSource Started { get; private set; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
        public int Runs => Volatile.Read(ref _runs);
        public KillSwitchContext? LastContext { get; private set; }
        public string Name => name;

        public async Task ExecuteAsync(KillSwitchContext context, CancellationToken cancellationToken)
        {
            LastContext = context;
            Started.TrySetResult();
            if (Partner is { } partner) await partner.Started.Task.WaitAsync(cancellationToken);
            Interlocked.Increment(ref _runs);
        }

        /// <summary>Before the next entry into Halt: its run must wait for a fresh start of the partner.</summary>
        public void Reset() => Started = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }

    private sealed class FailingAction : IKillSwitchAction
    {
        public string Name => "venue-rejects";
        public Task ExecuteAsync(KillSwitchContext context, CancellationToken cancellationToken) => throw new InvalidOperationException("venue said no");
    }

    private sealed class HangingAction(string name, bool honoursCancellation) : IKillSwitchAction
    {
        public string Name => name;
        public TaskCompletionSource Started { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
        public TaskCompletionSource Release { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public async Task ExecuteAsync(KillSwitchContext context, CancellationToken cancellationToken)
        {
            Started.TrySetResult();
            if (honoursCancellation) await Release.Task.WaitAsync(cancellationToken);
            else await Release.Task;
        }
    }
}
