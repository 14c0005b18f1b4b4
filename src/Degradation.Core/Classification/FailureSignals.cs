namespace Degradation.Classification;

/// <summary>
/// Yes/no observations a detector attaches to a <see cref="HealthSample"/> on top of the measured latency, error rate
/// and queue depth, one per detection method of the failure taxonomy that is not a threshold.
/// </summary>
[Flags]
public enum FailureSignals
{
    /// <summary>Nothing observed beyond the measurements.</summary>
    None = 0,
    /// <summary>The dependency's health check failed (<see cref="FailureKind.Unavailable"/>).</summary>
    HealthCheckFailed = 1 << 0,
    /// <summary>The dependency's heartbeat is missing (<see cref="FailureKind.DependencyDown"/>).</summary>
    HeartbeatMissed = 1 << 1,
    /// <summary>A request to the dependency timed out (<see cref="FailureKind.Timeout"/>).</summary>
    RequestTimedOut = 1 << 2,
    /// <summary>The dependency answered "too many requests", e.g. HTTP 429 (<see cref="FailureKind.RateLimited"/>).</summary>
    RateLimited = 1 << 3,
    /// <summary>A connectivity check cannot reach the dependency at all (<see cref="FailureKind.NetworkPartition"/>).</summary>
    Unreachable = 1 << 4,
    /// <summary>Data failed checksum validation (<see cref="FailureKind.DataCorruption"/>).</summary>
    ChecksumMismatch = 1 << 5,
    /// <summary>The dependency's configuration failed validation (<see cref="FailureKind.ConfigurationError"/>).</summary>
    ConfigurationInvalid = 1 << 6,
}
