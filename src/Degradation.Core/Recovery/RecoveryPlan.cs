namespace Degradation.Recovery;

/// <summary>A recovery run's plan and progress (see <see cref="RecoveryPlanTracker"/>).</summary>
/// <param name="Run">The run, or null before any run started.</param>
/// <param name="Phases">Every stage in order, with its steps.</param>
/// <param name="PercentComplete">Steps done out of all steps (an empty stage counts as one), 0–100.</param>
/// <param name="Finished">How the run ended, or null while it runs.</param>
/// <param name="Details">The run's end details, if finished.</param>
public sealed record RecoveryPlan(RecoveryRunId? Run, IReadOnlyList<RecoveryPhase> Phases, int PercentComplete, RecoveryRunStatus? Finished, string? Details);
