namespace Degradation.Classification;

/// <summary>What a <see cref="FailureClassifier"/> concluded from one health sample.</summary>
public enum FailureKind : byte
{
    /// <summary>Every signal within its warning threshold.</summary>
    None = 0,
    /// <summary>Latency above its warning threshold (quality degraded).</summary>
    LatencyElevated = 1,
    /// <summary>Error rate above its warning threshold (quality degraded).</summary>
    ErrorsElevated = 2,
    /// <summary>Queue depth above its warning threshold (quality degraded).</summary>
    QueueElevated = 3,
    /// <summary>Latency above its critical threshold (failure, severity Warning).</summary>
    HighLatency = 4,
    /// <summary>Error rate above its critical threshold (failure, severity Critical).</summary>
    ErrorSpike = 5,
    /// <summary>Queue depth above its critical threshold (failure, severity Warning).</summary>
    CapacityExceeded = 6,
}
