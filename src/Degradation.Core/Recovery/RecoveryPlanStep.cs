namespace Degradation.Recovery;

/// <summary>One step of a recovery phase.</summary>
/// <param name="Name">The step's name.</param>
/// <param name="Status">Where it stands.</param>
public sealed record RecoveryPlanStep(string Name, RecoveryPlanStepStatus Status);
