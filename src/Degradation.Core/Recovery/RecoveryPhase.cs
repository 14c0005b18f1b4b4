namespace Degradation.Recovery;

/// <summary>One stage of a recovery plan.</summary>
/// <param name="Stage">The stage.</param>
/// <param name="Status">Where it stands.</param>
/// <param name="Attempt">The latest attempt, 1-based (0 before it started).</param>
/// <param name="Steps">Its steps in order.</param>
public sealed record RecoveryPhase(RecoveryStage Stage, RecoveryPhaseStatus Status, int Attempt, IReadOnlyList<RecoveryPlanStep> Steps);
