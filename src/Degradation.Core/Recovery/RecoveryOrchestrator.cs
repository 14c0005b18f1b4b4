namespace Degradation.Recovery;

/// <summary>
/// Drives recovery runs through their stages (docs/RULES.md, Recovery): ConnectBroker → CatchupMarketData → VerifyRisk → Ready, running
/// the <see cref="IRecoveryStep"/>s registered for each stage while the system is in it, then asking the state machine
/// for the next stage with the run's <see cref="RecoveryRunId"/> (a stale run is refused and its work stops). The state
/// machine moves Ready → Normal itself when stable and <see cref="RecoveryOptions.AutoToNormal"/> (or on an
/// operator's command).
/// A failed stage attempt (a step failed or threw, or the stage exceeded <see cref="RecoveryOptions.StageTimeout"/>)
/// is retried from the failed step after an exponential backoff (<see cref="RecoveryOptions.BackoffBase"/>,
/// doubling, capped at <see cref="RecoveryOptions.BackoffMax"/>; or the fixed
/// <see cref="RecoveryOptions.BackoffSchedule"/> when one is configured), up to
/// <see cref="RecoveryOptions.MaxAttempts"/> attempts per stage; then <see cref="DegradationStateMachine.FailRecovery"/>
/// raises <c>recovery.failed</c> → Halt. A fatal step result (e.g. a position mismatch) publishes its event at once.
/// Runs are discovered from the state machine's transitions (any trigger: cold start, automatic, manual); a run that
/// is superseded or aborted has its steps cancelled.
/// </summary>
public sealed class RecoveryOrchestrator : IAsyncDisposable
{
    private const int RetainedOutcomes = 256;

    private readonly object _lock = new();
    private readonly DegradationStateMachine _stateMachine;
    private readonly EventBus _bus;
    private readonly TimeProvider _time;
    private readonly ExponentialBackoff _backoff;
    private readonly BackoffSchedule? _schedule;
    private readonly TimeSpan _stageTimeout;
    private readonly int _maxAttempts;
    private readonly List<IRecoveryStep>[] _steps = [[], [], [], []];
    private readonly SortedDictionary<long, TaskCompletionSource<RecoveryRunOutcome>> _outcomes = [];
    private readonly CancellationTokenSource _stop = new();
    private IDisposable? _subscription;
    private long _latestRun;
    private RecoveryRunId? _currentRun;
    private CancellationTokenSource? _runCancellation;
    private Task _runTask = Task.CompletedTask;
    private bool _started;
    private bool _stopped;

    /// <summary>Creates an orchestrator for <paramref name="stateMachine"/>; fatal step results are published on <paramref name="bus"/>.</summary>
    public RecoveryOrchestrator(DegradationStateMachine stateMachine, EventBus bus)
    {
        ArgumentNullException.ThrowIfNull(stateMachine);
        ArgumentNullException.ThrowIfNull(bus);
        _stateMachine = stateMachine;
        _bus = bus;
        _time = stateMachine.TimeProvider;
        var options = stateMachine.Policy.Options;
        _backoff = ExponentialBackoff.ForRecovery(options);
        _schedule = BackoffSchedule.ForRecovery(options);
        _stageTimeout = options.Recovery.StageTimeout;
        _maxAttempts = options.Recovery.MaxAttempts;
        Progress += new RecoveryTracing().OnProgress;
    }

    /// <summary>Creates an orchestrator for <paramref name="system"/>.</summary>
    public RecoveryOrchestrator(DegradationSystem system)
        : this((system ?? throw new ArgumentNullException(nameof(system))).StateMachine, system.Bus)
    {
    }

    /// <summary>Raised on the run's thread for every step, backoff, stage and run end. Handler exceptions are ignored.</summary>
    public event Action<RecoveryProgress>? Progress;

    /// <summary>The backoff between stage attempts.</summary>
    public ExponentialBackoff Backoff => _backoff;

    /// <summary>The fixed retry schedule (<see cref="RecoveryOptions.BackoffSchedule"/>) that replaces <see cref="Backoff"/>, or null.</summary>
    public BackoffSchedule? Schedule => _schedule;

    /// <summary>The run being worked on, if any.</summary>
    public RecoveryRunId? CurrentRun { get { lock (_lock) return _currentRun; } }

    /// <summary>Registers <paramref name="step"/> for <paramref name="stage"/>; steps of a stage run in registration order.</summary>
    public void AddStep(RecoveryStage stage, IRecoveryStep step)
    {
        if (!Enum.IsDefined(stage)) throw new ArgumentOutOfRangeException(nameof(stage), stage, $"Unknown stage '{(int)stage}'.");
        ArgumentNullException.ThrowIfNull(step);
        lock (_lock) _steps[(int)stage].Add(step);
    }

    /// <summary>Registers a delegate step for <paramref name="stage"/>: it succeeds unless it throws.</summary>
    public void AddStep(RecoveryStage stage, string name, Func<CancellationToken, ValueTask> execute) =>
        AddStep(stage, new DelegateRecoveryStep(name, execute));

    /// <summary>The steps registered for <paramref name="stage"/>.</summary>
    public IReadOnlyList<IRecoveryStep> GetSteps(RecoveryStage stage)
    {
        if (!Enum.IsDefined(stage)) throw new ArgumentOutOfRangeException(nameof(stage), stage, $"Unknown stage '{(int)stage}'.");
        lock (_lock) return [.. _steps[(int)stage]];
    }

    /// <summary>Subscribes to the state machine's transitions and picks up the run in progress, if any (e.g. the cold-start run). Idempotent.</summary>
    public void Start()
    {
        lock (_lock)
        {
            ObjectDisposedException.ThrowIf(_stopped, this);
            if (_started) return;
            _started = true;
        }
        var subscription = _stateMachine.SubscribeTransitions(OnTransition);
        lock (_lock) _subscription = subscription;
        // Subscribed first, then polled: a run created in between is seen twice and picked up once.
        if (_stateMachine.ActiveRecoveryRun is { } run && _stateMachine.Stage is { } stage) PickUp(run, stage);
    }

    /// <summary>
    /// Completes when the orchestrator has finished <paramref name="run"/> (at once for a run it will never work on
    /// because a newer one was already picked up).
    /// </summary>
    public Task<RecoveryRunOutcome> WhenRunFinishedAsync(RecoveryRunId run, CancellationToken cancellationToken = default)
    {
        lock (_lock)
        {
            if (!_outcomes.TryGetValue(run.Value, out var done))
            {
                done = new TaskCompletionSource<RecoveryRunOutcome>(TaskCreationOptions.RunContinuationsAsynchronously);
                if (run.Value < _latestRun)
                    done.TrySetResult(new RecoveryRunOutcome(run, RecoveryTrigger.Auto, RecoveryRunStatus.Superseded, RecoveryStage.ConnectBroker, [], "a newer run was picked up"));
                _outcomes[run.Value] = done;
            }
            return done.Task.WaitAsync(cancellationToken);
        }
    }

    /// <summary>Stops picking up runs and cancels the run in progress.</summary>
    public async Task StopAsync()
    {
        Task running;
        IDisposable? subscription;
        lock (_lock)
        {
            if (_stopped) return;
            _stopped = true;
            running = _runTask;
            subscription = _subscription;
            _subscription = null;
        }
        subscription?.Dispose();
        await _stop.CancelAsync().ConfigureAwait(false);
        await running.ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await StopAsync().ConfigureAwait(false);
        _stop.Dispose();
    }

    private void OnTransition(ModeTransition transition)
    {
        if (transition.To == SystemMode.Recovering && transition.Kind != TransitionKind.StageChange
            && transition.ToStage == RecoveryStage.ConnectBroker && transition.RecoveryRun is { } run)
        {
            PickUp(run, RecoveryStage.ConnectBroker);
        }
        else if (transition.To != SystemMode.Recovering)
        {
            // The run ended (landed, escalated, halted, overridden): whatever it still does is stale.
            lock (_lock) _runCancellation?.Cancel();
        }
    }

    private void PickUp(RecoveryRunId run, RecoveryStage stage)
    {
        lock (_lock)
        {
            if (!_started || _stopped || run.Value <= _latestRun) return;
            _latestRun = run.Value;
            _runCancellation?.Cancel();
            var cancellation = CancellationTokenSource.CreateLinkedTokenSource(_stop.Token);
            _runCancellation = cancellation;
            _currentRun = run;
            var trigger = _stateMachine.ActiveRecoveryRun == run ? _stateMachine.ActiveRecoveryTrigger ?? RecoveryTrigger.Auto : RecoveryTrigger.Auto;
            foreach (var (older, pending) in _outcomes)
            {
                if (older >= run.Value) break;
                pending.TrySetResult(new RecoveryRunOutcome(new RecoveryRunId(older), RecoveryTrigger.Auto, RecoveryRunStatus.Superseded, RecoveryStage.ConnectBroker, [], $"superseded by {run}"));
            }
            var previous = _runTask;
            _runTask = Task.Run(() => ExecuteRunAsync(run, trigger, stage, previous, cancellation));
        }
    }

    private async Task ExecuteRunAsync(RecoveryRunId run, RecoveryTrigger trigger, RecoveryStage stage, Task previous, CancellationTokenSource cancellation)
    {
        // The superseded run was cancelled; let it unwind first so progress reports stay in order.
        await previous.ConfigureAwait(false);
        var token = cancellation.Token;
        var stepsRun = new List<string>();
        RecoveryRunOutcome outcome;
        Report(new RecoveryProgress(run, RecoveryProgressKind.RunStarted, stage, null, 0, null, trigger.ToString()));
        try
        {
            while (true)
            {
                var (status, details) = await RunStageAsync(run, trigger, stage, stepsRun, token).ConfigureAwait(false);
                if (status != StageStatus.Passed)
                {
                    outcome = new RecoveryRunOutcome(run, trigger, ToRunStatus(status), stage, Copy(stepsRun), details);
                    break;
                }
                if (stage == RecoveryStage.Ready)
                {
                    outcome = new RecoveryRunOutcome(run, trigger, RecoveryRunStatus.Completed, stage, Copy(stepsRun), null);
                    break;
                }
                var next = stage + 1;
                if (!_stateMachine.TryAdvanceStage(run, next))
                {
                    outcome = new RecoveryRunOutcome(run, trigger, RecoveryRunStatus.Superseded, stage, Copy(stepsRun),
                        $"the state machine refused {next} for {run} (stale run, override or mode change)");
                    break;
                }
                stage = next;
                Report(new RecoveryProgress(run, RecoveryProgressKind.StageAdvanced, stage, null, 0, null, null));
            }
        }
        catch (OperationCanceledException) when (token.IsCancellationRequested)
        {
            var stopped = _stop.IsCancellationRequested;
            outcome = new RecoveryRunOutcome(run, trigger, stopped ? RecoveryRunStatus.Stopped : RecoveryRunStatus.Superseded, stage, Copy(stepsRun),
                stopped ? "the orchestrator stopped" : "the run was superseded or aborted");
        }
        catch (Exception ex)
        {
            // Only our own bookkeeping could get here (steps are isolated); never leave a run unfinished.
            outcome = new RecoveryRunOutcome(run, trigger, RecoveryRunStatus.Stopped, stage, Copy(stepsRun), "orchestrator error: " + ex.Message);
        }
        Finish(outcome, cancellation);
    }

    private async Task<(StageStatus Status, string? Details)> RunStageAsync(RecoveryRunId run, RecoveryTrigger trigger, RecoveryStage stage,
        List<string> stepsRun, CancellationToken token)
    {
        IRecoveryStep[] steps;
        lock (_lock) steps = [.. _steps[(int)stage]];
        var cursor = new StageCursor();
        for (var attempt = 1; ; attempt++)
        {
            token.ThrowIfCancellationRequested();
            if (!IsCurrent(run)) return (StageStatus.Superseded, $"{run} is no longer the active run");
            var context = new RecoveryStepContext(run, trigger, stage, attempt, _time);
            // The deadline is armed before any step starts; it cancels the steps' token, and a step that ignores the
            // token is abandoned (the wait below observes the same token).
            var deadline = new CancellationTokenSource(_stageTimeout, _time);
            var attemptCancellation = CancellationTokenSource.CreateLinkedTokenSource(token, deadline.Token);
            var work = RunStepsAsync(steps, cursor, context, stepsRun, attemptCancellation.Token);
            StepFailure? failure;
            try
            {
                failure = await work.WaitAsync(attemptCancellation.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (deadline.IsCancellationRequested && !token.IsCancellationRequested)
            {
                var name = cursor.Index < steps.Length ? steps[cursor.Index].Name : "?";
                failure = new StepFailure(name, RecoveryStepResult.Failure(
                    $"stage {stage} timed out after {_stageTimeout.TotalMilliseconds:0} ms in step '{name}'"));
            }
            finally
            {
                // An abandoned step may still hold the token; dispose the sources only once it is done.
                _ = work.ContinueWith(static (_, state) =>
                {
                    var (linked, timer) = ((CancellationTokenSource, CancellationTokenSource))state!;
                    linked.Dispose();
                    timer.Dispose();
                }, (attemptCancellation, deadline), CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
            }

            if (failure is null) return (StageStatus.Passed, null);
            var result = failure.Value.Result;
            if (result.Status == RecoveryStepStatus.Fatal)
            {
                if (!IsCurrent(run)) return (StageStatus.Superseded, $"{run} is no longer the active run");
                Report(new RecoveryProgress(run, RecoveryProgressKind.StepFailed, stage, failure.Value.Step, attempt, null, result.ToString()));
                var critical = _stateMachine.Policy.GetComponent(result.Component)?.Critical ?? false;
                _bus.Publish(critical ? EventType.FailCritical : EventType.FailSupport, result.Component, result.Reason,
                    $"recovery {run} step '{failure.Value.Step}': {result.Details}");
                return (StageStatus.Fatal, $"step '{failure.Value.Step}' {result}");
            }
            var details = $"step '{failure.Value.Step}' failed (attempt {attempt}/{_maxAttempts}): {result.Details}";
            Report(new RecoveryProgress(run, RecoveryProgressKind.StepFailed, stage, failure.Value.Step, attempt, null, result.Details));
            if (attempt >= _maxAttempts)
            {
                return _stateMachine.FailRecovery(run, $"stage {stage}: {details}")
                    ? (StageStatus.Failed, details)
                    : (StageStatus.Superseded, $"{run} is no longer the active run; {details}");
            }
            var delay = _schedule?.DelayBeforeRetry(attempt) ?? _backoff.DelayBeforeRetry(attempt);
            var wait = Task.Delay(delay, _time, token);
            Report(new RecoveryProgress(run, RecoveryProgressKind.BackoffScheduled, stage, failure.Value.Step, attempt, delay, details));
            await wait.ConfigureAwait(false);
        }
    }

    private async Task<StepFailure?> RunStepsAsync(IRecoveryStep[] steps, StageCursor cursor, RecoveryStepContext context,
        List<string> stepsRun, CancellationToken token)
    {
        for (; cursor.Index < steps.Length; cursor.Index++)
        {
            token.ThrowIfCancellationRequested();
            var step = steps[cursor.Index];
            Report(new RecoveryProgress(context.Run, RecoveryProgressKind.StepStarted, context.Stage, step.Name, context.Attempt, null, null));
            RecoveryStepResult result;
            try
            {
                result = await step.ExecuteAsync(context, token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (token.IsCancellationRequested)
            {
                throw;
            }
            catch (Exception ex)
            {
                result = RecoveryStepResult.Failure($"threw {ex.GetType().Name}: {ex.Message}");
            }
            token.ThrowIfCancellationRequested();
            if (result.Status != RecoveryStepStatus.Succeeded) return new StepFailure(step.Name, result);
            lock (stepsRun) stepsRun.Add(step.Name);
            Report(new RecoveryProgress(context.Run, RecoveryProgressKind.StepSucceeded, context.Stage, step.Name, context.Attempt, null, result.Details));
        }
        return null;
    }

    private bool IsCurrent(RecoveryRunId run) => _stateMachine.ActiveRecoveryRun == run;

    private void Finish(RecoveryRunOutcome outcome, CancellationTokenSource cancellation)
    {
        TaskCompletionSource<RecoveryRunOutcome> done;
        lock (_lock)
        {
            if (!_outcomes.TryGetValue(outcome.Run.Value, out done!))
            {
                done = new TaskCompletionSource<RecoveryRunOutcome>(TaskCreationOptions.RunContinuationsAsynchronously);
                _outcomes[outcome.Run.Value] = done;
            }
            while (_outcomes.Count > RetainedOutcomes && _outcomes.First() is var oldest && oldest.Value.Task.IsCompleted)
                _outcomes.Remove(oldest.Key);
            if (ReferenceEquals(_runCancellation, cancellation))
            {
                _runCancellation = null;
                _currentRun = null;
            }
        }
        cancellation.Dispose();
        Report(new RecoveryProgress(outcome.Run, RecoveryProgressKind.RunFinished, outcome.LastStage, null, 0, null, $"{outcome.Status}{(outcome.Details is null ? "" : ": " + outcome.Details)}"));
        done.TrySetResult(outcome);
    }

    private void Report(RecoveryProgress progress)
    {
        try { Progress?.Invoke(progress); }
        catch (Exception) { /* an observer must not break recovery */ }
    }

    private static string[] Copy(List<string> steps)
    {
        lock (steps) return [.. steps];
    }

    private static RecoveryRunStatus ToRunStatus(StageStatus status) => status switch
    {
        StageStatus.Failed => RecoveryRunStatus.Failed,
        StageStatus.Fatal => RecoveryRunStatus.Fatal,
        _ => RecoveryRunStatus.Superseded,
    };

    private enum StageStatus : byte { Passed, Failed, Fatal, Superseded }

    private readonly record struct StepFailure(string Step, RecoveryStepResult Result);

    private sealed class StageCursor
    {
        public int Index;
    }
}
