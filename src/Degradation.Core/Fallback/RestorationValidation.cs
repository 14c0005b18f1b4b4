namespace Degradation.Fallback;

/// <summary>The outcome of validating a restoration step.</summary>
/// <param name="AllPassed">True when every check passed.</param>
/// <param name="Checks">Each check.</param>
/// <param name="Metrics">What was measured.</param>
public sealed record RestorationValidation(bool AllPassed, IReadOnlyList<RestorationCheck> Checks, RestorationMetrics Metrics)
{
    /// <summary>
    /// Validates <paramref name="metrics"/> against <paramref name="options"/>: consecutive passes at least
    /// <see cref="FallbackChainOptions.MinConsecutivePasses"/>, p99 latency at most
    /// <see cref="FallbackChainOptions.MaxP99Latency"/>, error rate at most <see cref="FallbackChainOptions.MaxErrorRate"/>,
    /// and, when configured, throughput at least <see cref="FallbackChainOptions.MinThroughputPerSecond"/>.
    /// Without primary calls the latency and error checks fail: nothing is validated on no evidence.
    /// </summary>
    public static RestorationValidation Evaluate(in RestorationMetrics metrics, FallbackChainOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var checks = new List<RestorationCheck>(4)
        {
            new("consecutive_passes", metrics.ConsecutivePasses >= options.MinConsecutivePasses, options.MinConsecutivePasses, metrics.ConsecutivePasses),
            new("latency_p99_ms", metrics.P99LatencyMs <= options.MaxP99Latency.TotalMilliseconds, options.MaxP99Latency.TotalMilliseconds, metrics.P99LatencyMs),
            new("error_rate", metrics.ErrorRate <= options.MaxErrorRate, options.MaxErrorRate, metrics.ErrorRate),
        };
        if (options.MinThroughputPerSecond > 0)
            checks.Add(new("throughput_rps", metrics.ThroughputPerSecond >= options.MinThroughputPerSecond, options.MinThroughputPerSecond, metrics.ThroughputPerSecond));
        return new RestorationValidation(checks.TrueForAll(c => c.Passed), checks, metrics);
    }

    /// <inheritdoc />
    public override string ToString() => (AllPassed ? "passed: " : "failed: ") + string.Join(", ", Checks);
}
