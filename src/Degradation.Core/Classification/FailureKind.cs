namespace Degradation.Classification;

/// <summary>
/// What a <see cref="FailureClassifier"/> concluded from one health sample: a quality warning, or one of the ten
/// failure types of the taxonomy (see <see cref="FailureTaxonomy"/> for each one's detection method, typical recovery,
/// severity and mode).
/// </summary>
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
    /// <summary>The dependency's health check says it is not available (failure, severity Warning).</summary>
    Unavailable = 7,
    /// <summary>The dependency stopped sending heartbeats (failure, severity Critical).</summary>
    DependencyDown = 8,
    /// <summary>Requests to the dependency time out (failure, severity Warning).</summary>
    Timeout = 9,
    /// <summary>The dependency refuses requests for exceeding its rate limit, e.g. HTTP 429 (failure, severity Warning).</summary>
    RateLimited = 10,
    /// <summary>The dependency cannot be reached over the network at all (failure, severity Critical; needs a person).</summary>
    NetworkPartition = 11,
    /// <summary>Data from or about the dependency failed checksum validation (failure, severity Critical; Halt; needs a person).</summary>
    DataCorruption = 12,
    /// <summary>The dependency's configuration failed validation (failure, severity Critical; needs a person).</summary>
    ConfigurationError = 13,
}
