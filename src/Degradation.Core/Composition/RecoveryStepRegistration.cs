namespace Degradation.Composition;

/// <summary>A recovery step added to a <see cref="DegradationSystemBuilder"/>, created when the runtime starts.</summary>
internal sealed record RecoveryStepRegistration(RecoveryStage Stage, Func<DegradationRuntime, IRecoveryStep> Create);
