namespace Degradation.Recovery;

/// <summary>Where a recovery phase stands.</summary>
public enum RecoveryPhaseStatus : byte
{
    /// <summary>Not reached yet.</summary>
    Pending = 0,
    /// <summary>Its steps are running.</summary>
    Running = 1,
    /// <summary>An attempt failed; it will be retried after a backoff.</summary>
    Retrying = 2,
    /// <summary>Done; the run moved past it.</summary>
    Completed = 3,
    /// <summary>A step failed and the run ended here (or the attempt failed).</summary>
    Failed = 4,
}
