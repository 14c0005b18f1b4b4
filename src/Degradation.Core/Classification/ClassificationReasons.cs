namespace Degradation.Classification;

/// <summary>
/// The reason codes failure classification reports, one per <see cref="FailureKind"/>. Data corruption maps to Halt,
/// configuration errors and network partitions to SafeMode in the built-in decision matrix (they need a person);
/// unmapped, a failure of a critical component (<see cref="EventType.FailCritical"/>) leads to SafeMode and anything
/// else to Degraded; map them in <see cref="DegradationOptions.DecisionMatrix"/> to choose otherwise.
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
    /// <summary>The health check failed.</summary>
    public static readonly ReasonCode Unavailable = new("dependency.unavailable");
    /// <summary>Heartbeats stopped.</summary>
    public static readonly ReasonCode DependencyDown = new("dependency.down");
    /// <summary>Requests time out.</summary>
    public static readonly ReasonCode Timeout = new("dependency.timeout");
    /// <summary>Requests are refused for exceeding a rate limit.</summary>
    public static readonly ReasonCode RateLimited = new("dependency.rate_limited");
    /// <summary>The dependency cannot be reached at all (SafeMode in the built-in matrix).</summary>
    public static readonly ReasonCode NetworkPartition = new("dependency.network_partition");
    /// <summary>Data failed checksum validation (Halt in the built-in matrix).</summary>
    public static readonly ReasonCode DataCorruption = new("dependency.data_corruption");
    /// <summary>Configuration failed validation (SafeMode in the built-in matrix).</summary>
    public static readonly ReasonCode ConfigurationError = new("dependency.configuration_error");

    /// <summary>The reason reported for <paramref name="kind"/> (empty for <see cref="FailureKind.None"/>).</summary>
    public static ReasonCode For(FailureKind kind) => kind switch
    {
        FailureKind.HighLatency => LatencyHigh,
        FailureKind.ErrorSpike => ErrorSpike,
        FailureKind.CapacityExceeded => CapacityExceeded,
        FailureKind.LatencyElevated => LatencyElevated,
        FailureKind.ErrorsElevated => ErrorsElevated,
        FailureKind.QueueElevated => QueueElevated,
        FailureKind.Unavailable => Unavailable,
        FailureKind.DependencyDown => DependencyDown,
        FailureKind.Timeout => Timeout,
        FailureKind.RateLimited => RateLimited,
        FailureKind.NetworkPartition => NetworkPartition,
        FailureKind.DataCorruption => DataCorruption,
        FailureKind.ConfigurationError => ConfigurationError,
        _ => default,
    };
}
