namespace Degradation.Recovery;

/// <summary>What a <see cref="RecoveryProgress"/> report says happened.</summary>
public enum RecoveryProgressKind : byte
{
    /// <summary>The orchestrator picked up a run.</summary>
    RunStarted = 0,
    /// <summary>A step is about to run.</summary>
    StepStarted = 1,
    /// <summary>A step succeeded.</summary>
    StepSucceeded = 2,
    /// <summary>A step failed, threw, or its stage timed out.</summary>
    StepFailed = 3,
    /// <summary>The stage will be retried after a backoff delay; the delay timer is already running.</summary>
    BackoffScheduled = 4,
    /// <summary>The state machine accepted the next stage.</summary>
    StageAdvanced = 5,
    /// <summary>The run finished (see <see cref="RecoveryRunOutcome"/>).</summary>
    RunFinished = 6,
}
