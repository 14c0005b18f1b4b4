namespace Degradation.Classification;

/// <summary>
/// The reason codes failure classification reports. Unmapped in the decision matrix, a failure of a critical
/// component (<see cref="EventType.FailCritical"/>) leads to SafeMode and anything else to Degraded; map them in
/// <see cref="DegradationOptions.DecisionMatrix"/> to choose otherwise.
/// </summary>
public static class ClassificationReasons
{
    /// <summary>Latency above the critical threshold.</summary>
    public static readonly ReasonCode LatencyHigh = new("dependency.latency_high");
    /// <summary>Error rate above the critical threshold.</summary>
    public static readonly ReasonCode ErrorSpike = new("dependency.error_spike");
    /// <summary>Queue depth above the critical threshold.</summary>
    public static readonly ReasonCode CapacityExceeded = new("dependency.capacity_exceeded");
    /// <summary>Latency above the warning threshold.</summary>
    public static readonly ReasonCode LatencyElevated = new("dependency.latency_elevated");
    /// <summary>Error rate above the warning threshold.</summary>
    public static readonly ReasonCode ErrorsElevated = new("dependency.errors_elevated");
    /// <summary>Queue depth above the warning threshold.</summary>
    public static readonly ReasonCode QueueElevated = new("dependency.queue_elevated");

    /// <summary>The reason reported for <paramref name="kind"/> (empty for <see cref="FailureKind.None"/>).</summary>
    public static ReasonCode For(FailureKind kind) => kind switch
    {
        FailureKind.HighLatency => LatencyHigh,
        FailureKind.ErrorSpike => ErrorSpike,
        FailureKind.CapacityExceeded => CapacityExceeded,
        FailureKind.LatencyElevated => LatencyElevated,
        FailureKind.ErrorsElevated => ErrorsElevated,
        FailureKind.QueueElevated => QueueElevated,
        _ => default,
    };
}
