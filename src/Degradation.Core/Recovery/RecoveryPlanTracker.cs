namespace Degradation.Recovery;

/// <summary>
/// Follows a <see cref="RecoveryOrchestrator"/>'s progress and keeps the current run's plan: every stage (phase) with its
/// registered steps, which ran, which failed, retries, and an overall percentage — what an operator wants to see while
/// trading is shut. Thread-safe; <see cref="GetPlan"/> returns a snapshot.
/// </summary>
public sealed class RecoveryPlanTracker : IDisposable
{
    private static readonly RecoveryStage[] Stages = Enum.GetValues<RecoveryStage>();

    private readonly object _lock = new();
    private readonly RecoveryOrchestrator _orchestrator;
    private RecoveryRunId? _run;
    private PhaseState[] _phases = [];
    private RecoveryRunStatus? _finished;
    private string? _details;
    private int _disposed;

    /// <summary>Starts following <paramref name="orchestrator"/>; the plan is empty until a run starts.</summary>
    public RecoveryPlanTracker(RecoveryOrchestrator orchestrator)
    {
        ArgumentNullException.ThrowIfNull(orchestrator);
        _orchestrator = orchestrator;
        orchestrator.Progress += OnProgress;
    }

    /// <summary>Raised after every progress report the plan took in, with the new plan, on the run's thread. A throwing handler is ignored.</summary>
    public event Action<RecoveryPlan>? Updated;

    /// <summary>The current (or last) run's plan.</summary>
    public RecoveryPlan GetPlan()
    {
        lock (_lock)
        {
            var phases = _phases.Select(p => new RecoveryPhase(p.Stage, p.Status, p.Attempt,
                [.. p.Steps.Select(s => new RecoveryPlanStep(s.Name, s.Status))])).ToList();
            var total = phases.Sum(p => Math.Max(1, p.Steps.Count));
            var done = phases.Sum(p => p.Status == RecoveryPhaseStatus.Completed ? Math.Max(1, p.Steps.Count)
                : p.Steps.Count(s => s.Status == RecoveryPlanStepStatus.Succeeded));
            var percent = total == 0 ? 0 : done * 100 / total;
            return new RecoveryPlan(_run, phases, percent, _finished, _details);
        }
    }

    /// <inheritdoc />
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 0) _orchestrator.Progress -= OnProgress;
    }

    private void OnProgress(RecoveryProgress progress)
    {
        Apply(progress);
        if (Updated is not { } handlers) return;
        var plan = GetPlan();
        foreach (var handler in handlers.GetInvocationList())
        {
            try { ((Action<RecoveryPlan>)handler)(plan); }
            catch (Exception) { /* an observer must not disturb recovery */ }
        }
    }

    private void Apply(RecoveryProgress progress)
    {
        lock (_lock)
        {
            if (progress.Kind == RecoveryProgressKind.RunStarted) Begin(progress);
            if (_run != progress.Run || _phases.Length == 0) return;
            var phase = _phases[(int)progress.Stage];
            switch (progress.Kind)
            {
                case RecoveryProgressKind.StepStarted:
                    phase.Status = RecoveryPhaseStatus.Running;
                    phase.Attempt = Math.Max(phase.Attempt, progress.Attempt);
                    phase.Set(progress.Step, RecoveryPlanStepStatus.Running);
                    break;
                case RecoveryProgressKind.StepSucceeded:
                    phase.Set(progress.Step, RecoveryPlanStepStatus.Succeeded);
                    break;
                case RecoveryProgressKind.StepFailed:
                    phase.Set(progress.Step, RecoveryPlanStepStatus.Failed);
                    phase.Status = RecoveryPhaseStatus.Failed;
                    break;
                case RecoveryProgressKind.BackoffScheduled:
                    phase.Status = RecoveryPhaseStatus.Retrying;
                    phase.Attempt = progress.Attempt;
                    break;
                case RecoveryProgressKind.StageAdvanced:
                    foreach (var earlier in _phases.Where(p => p.Stage < progress.Stage)) earlier.Complete();
                    if (phase.Status == RecoveryPhaseStatus.Pending) phase.Status = RecoveryPhaseStatus.Running;
                    break;
                case RecoveryProgressKind.RunFinished:
                    var status = progress.Details?.Split(':', 2)[0];
                    _finished = Enum.TryParse<RecoveryRunStatus>(status, out var parsed) ? parsed : null;
                    _details = progress.Details;
                    if (_finished == RecoveryRunStatus.Completed) foreach (var p in _phases) p.Complete();
                    else if (phase.Status is RecoveryPhaseStatus.Running or RecoveryPhaseStatus.Retrying) phase.Status = RecoveryPhaseStatus.Failed;
                    break;
            }
        }
    }

    private void Begin(RecoveryProgress progress)
    {
        _run = progress.Run;
        _finished = null;
        _details = null;
        _phases = [.. Stages.Select(stage => new PhaseState(stage, _orchestrator.GetSteps(stage).Select(s => s.Name)))];
        foreach (var earlier in _phases.Where(p => p.Stage < progress.Stage)) earlier.Complete();
        _phases[(int)progress.Stage].Status = RecoveryPhaseStatus.Running;
    }

    private sealed class PhaseState(RecoveryStage stage, IEnumerable<string> steps)
    {
        public RecoveryStage Stage { get; } = stage;
        public RecoveryPhaseStatus Status { get; set; }
        public int Attempt { get; set; }
        public List<StepState> Steps { get; } = [.. steps.Select(name => new StepState(name))];

        public void Set(string? step, RecoveryPlanStepStatus status)
        {
            if (step is null) return;
            var state = Steps.FirstOrDefault(s => s.Name == step && s.Status != RecoveryPlanStepStatus.Succeeded) ?? Steps.FirstOrDefault(s => s.Name == step);
            if (state is null) Steps.Add(state = new StepState(step));
            state.Status = status;
        }

        public void Complete()
        {
            Status = RecoveryPhaseStatus.Completed;
            foreach (var step in Steps) step.Status = RecoveryPlanStepStatus.Succeeded;
        }
    }

    private sealed class StepState(string name)
    {
        public string Name { get; } = name;
        public RecoveryPlanStepStatus Status { get; set; }
    }
}
