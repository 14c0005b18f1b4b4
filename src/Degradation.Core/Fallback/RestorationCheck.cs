namespace Degradation.Fallback;

/// <summary>One validation check of a restoration step.</summary>
/// <param name="Name">Which check: <c>consecutive_passes</c>, <c>latency_p99_ms</c>, <c>error_rate</c> or <c>throughput_rps</c>.</param>
/// <param name="Passed">Whether it passed.</param>
/// <param name="Threshold">Its threshold.</param>
/// <param name="Actual">The measured value (NaN without data).</param>
public readonly record struct RestorationCheck(string Name, bool Passed, double Threshold, double Actual)
{
    /// <inheritdoc />
    public override string ToString() => $"{Name} {(Passed ? "pass" : "FAIL")} (actual {Actual:0.####}, threshold {Threshold:0.####})";
}
