namespace Degradation.Recovery;

/// <summary>A progress report of the <see cref="RecoveryOrchestrator"/>.</summary>
/// <param name="Run">The run.</param>
/// <param name="Kind">What happened.</param>
/// <param name="Stage">The stage involved.</param>
/// <param name="Step">The step involved, if any.</param>
/// <param name="Attempt">The stage attempt, 1-based.</param>
/// <param name="Delay">The backoff delay, for <see cref="RecoveryProgressKind.BackoffScheduled"/>.</param>
/// <param name="Details">Free text (failure details, outcome).</param>
public sealed record RecoveryProgress(RecoveryRunId Run, RecoveryProgressKind Kind, RecoveryStage Stage, string? Step, int Attempt, TimeSpan? Delay, string? Details);
