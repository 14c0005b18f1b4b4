namespace Degradation.Fallback;

/// <summary>What the primary did during one restoration step: the input of the validation checks.</summary>
/// <param name="Calls">Primary calls during the step.</param>
/// <param name="Failures">Of which failed.</param>
/// <param name="ConsecutivePasses">Successful primary calls in a row, up to now.</param>
/// <param name="P99LatencyMs">99th percentile latency of the step's primary calls (NaN without calls).</param>
/// <param name="Elapsed">Time since the step started.</param>
public readonly record struct RestorationMetrics(long Calls, long Failures, int ConsecutivePasses, double P99LatencyMs, TimeSpan Elapsed)
{
    /// <summary>Failures / calls (NaN without calls).</summary>
    public double ErrorRate => Calls == 0 ? double.NaN : (double)Failures / Calls;

    /// <summary>Primary calls per second during the step (0 before any time passed).</summary>
    public double ThroughputPerSecond => Elapsed > TimeSpan.Zero ? Calls / Elapsed.TotalSeconds : 0;
}
