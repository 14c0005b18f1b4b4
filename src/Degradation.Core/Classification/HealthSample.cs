namespace Degradation.Classification;

/// <summary>One observation of a dependency: latency, error rate and queue depth.</summary>
/// <param name="LatencyMs">Latency in milliseconds (&gt;= 0).</param>
/// <param name="ErrorRate">Share of failed calls, 0–1.</param>
/// <param name="QueueDepth">Requests waiting (&gt;= 0).</param>
public readonly record struct HealthSample(double LatencyMs, double ErrorRate, long QueueDepth);
