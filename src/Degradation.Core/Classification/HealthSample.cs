namespace Degradation.Classification;

/// <summary>
/// One observation of a dependency: latency, error rate and queue depth, plus any yes/no <see cref="Signals"/> the
/// detector saw (a failed health check, a missing heartbeat, a timeout ...).
/// </summary>
/// <param name="LatencyMs">Latency in milliseconds (&gt;= 0).</param>
/// <param name="ErrorRate">Share of failed calls, 0–1.</param>
/// <param name="QueueDepth">Requests waiting (&gt;= 0).</param>
public readonly record struct HealthSample(double LatencyMs, double ErrorRate, long QueueDepth)
{
    /// <summary>What the detector observed beyond the measurements (none by default).</summary>
    public FailureSignals Signals { get; init; }
}
