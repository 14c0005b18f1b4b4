namespace Degradation.Recovery;

/// <summary>Where a recovery step stands.</summary>
public enum RecoveryPlanStepStatus : byte
{
    /// <summary>Not run yet in this run.</summary>
    Pending = 0,
    /// <summary>Running.</summary>
    Running = 1,
    /// <summary>Succeeded.</summary>
    Succeeded = 2,
    /// <summary>Failed (it is retried with its stage).</summary>
    Failed = 3,
}
