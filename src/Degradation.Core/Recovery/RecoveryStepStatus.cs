namespace Degradation.Recovery;

/// <summary>How a recovery step ended.</summary>
public enum RecoveryStepStatus : byte
{
    /// <summary>Done; the stage goes on.</summary>
    Succeeded = 0,
    /// <summary>Failed; the stage is retried with backoff, up to <see cref="RecoveryOptions.MaxAttempts"/>.</summary>
    Failed = 1,
    /// <summary>Failed for good (e.g. a position mismatch): its event is published and the run stops without retrying.</summary>
    Fatal = 2,
}
