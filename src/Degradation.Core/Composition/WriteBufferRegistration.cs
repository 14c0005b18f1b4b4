namespace Degradation.Composition;

/// <summary>
/// The write buffer added to a <see cref="DegradationSystemBuilder"/>: its target (created when the runtime opens) and
/// the recovery stage its replay runs at (none when null).
/// </summary>
internal sealed record WriteBufferRegistration(Func<DegradationRuntime, IBufferedWriteTarget> CreateTarget, RecoveryStage? ReplayStage);
