namespace Degradation.Recovery;

/// <summary>
/// One piece of work of a recovery stage (docs/RULES.md, Recovery): reconnect, reconcile positions, invalidate caches, replay the write
/// buffer, verify risk… Register it for a stage with <see cref="RecoveryOrchestrator.AddStep(RecoveryStage, IRecoveryStep)"/>.
/// Steps must be idempotent: a failed stage is retried from its failed step, and a new run repeats every step.
/// Honour the cancellation token: it fires when the stage times out or the run is superseded or aborted.
/// </summary>
public interface IRecoveryStep
{
    /// <summary>The step's name, for progress reports and failure details.</summary>
    string Name { get; }

    /// <summary>Runs the step once. Throwing is a retryable failure, like <see cref="RecoveryStepResult.Failure"/>.</summary>
    ValueTask<RecoveryStepResult> ExecuteAsync(RecoveryStepContext context, CancellationToken cancellationToken);
}
