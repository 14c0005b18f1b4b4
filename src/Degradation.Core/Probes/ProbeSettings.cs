namespace Degradation.Probes;

/// <summary>
/// Scheduling of one probe. Hysteresis thresholds are not here: they come from <see cref="DegradationOptions"/>
/// (<see cref="ProbeOptions.FailThresholdCount"/>, <see cref="ProbeOptions.FailThresholdDuration"/>,
/// <see cref="RecoveryOptions.StablePeriod"/>, <see cref="ProbeOptions.RiskTimeoutConsecutiveCount"/>).
/// </summary>
public sealed class ProbeSettings
{
    /// <summary>Time between the end of one probe round and the start of the next while the component is healthy.</summary>
    public TimeSpan Interval { get; set; }

    /// <summary>Shorter interval used while the component is failing or degraded (twice as often by default); half of <see cref="Interval"/> when null.</summary>
    public TimeSpan? UnhealthyInterval { get; set; }

    /// <summary>
    /// Longest a probe call may take; a timeout is a failure with the component's timeout reason. When null:
    /// <see cref="ProbeOptions.BrokerTimeout"/>, <see cref="ProbeOptions.RiskTimeout"/>,
    /// <see cref="ProbeOptions.DbTimeout"/> or <see cref="ProbeOptions.MarketDataStaleAfter"/> for the well-known
    /// components, <see cref="Interval"/> for the others.
    /// </summary>
    public TimeSpan? Timeout { get; set; }

    /// <summary>How many immediate retries a transient failure (e.g. HTTP 503) gets within one round.</summary>
    public int TransientRetries { get; set; } = 1;

    /// <summary>Pause before a transient retry (zero: retry at once, e.g. for a 503).</summary>
    public TimeSpan TransientRetryDelay { get; set; } = TimeSpan.Zero;

    /// <summary>
    /// Reason reported when the probe throws or reports unhealthy without a reason. When null: the component's
    /// <see cref="ComponentOptions.TimeoutReason"/>, else <c>"&lt;component&gt;.unavailable"</c>.
    /// </summary>
    public ReasonCode? FailureReason { get; set; }

    /// <summary>Reason reported for a degraded result without a reason; <c>market_data.quality_low</c> for market data, <c>"&lt;component&gt;.quality_low"</c> otherwise.</summary>
    public ReasonCode? QualityReason { get; set; }
}
