namespace Degradation.Classification;

/// <summary>How a failure type of the taxonomy is primarily detected.</summary>
public enum DetectionMethod : byte
{
    /// <summary>A health check of the dependency (<see cref="FailureSignals.HealthCheckFailed"/>).</summary>
    HealthCheck = 0,
    /// <summary>Latency measured against thresholds.</summary>
    LatencyMonitor = 1,
    /// <summary>Error rate measured against thresholds.</summary>
    ErrorRateTracker = 2,
    /// <summary>Queue depth measured against thresholds.</summary>
    QueueDepth = 3,
    /// <summary>Missing heartbeats (<see cref="FailureSignals.HeartbeatMissed"/>).</summary>
    Heartbeat = 4,
    /// <summary>Requests that time out (<see cref="FailureSignals.RequestTimedOut"/>).</summary>
    RequestTimeout = 5,
    /// <summary>Rate-limit answers such as HTTP 429 (<see cref="FailureSignals.RateLimited"/>).</summary>
    RateLimitResponse = 6,
    /// <summary>Connectivity checks (<see cref="FailureSignals.Unreachable"/>).</summary>
    ConnectivityCheck = 7,
    /// <summary>Checksum validation of data (<see cref="FailureSignals.ChecksumMismatch"/>).</summary>
    ChecksumValidation = 8,
    /// <summary>Validation of configuration (<see cref="FailureSignals.ConfigurationInvalid"/>).</summary>
    ConfigValidator = 9,
}
