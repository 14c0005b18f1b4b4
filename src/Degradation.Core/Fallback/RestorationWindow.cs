namespace Degradation.Fallback;

/// <summary>The primary's calls during one restoration step. Not thread-safe: used under the chain's lock.</summary>
internal sealed class RestorationWindow(long startedAt, int sampleSize)
{
    private readonly double[] _latenciesMs = new double[sampleSize];
    private int _sampleCount;
    private int _next;

    public long StartedAt { get; } = startedAt;
    public long Calls { get; private set; }
    public long Failures { get; private set; }
    public int ConsecutivePasses { get; private set; }
    public int ConsecutiveFailures { get; private set; }

    public double ErrorRate => Calls == 0 ? 0 : (double)Failures / Calls;

    public void Record(bool success, double latencyMs)
    {
        Calls++;
        if (success)
        {
            ConsecutivePasses++;
            ConsecutiveFailures = 0;
        }
        else
        {
            Failures++;
            ConsecutivePasses = 0;
            ConsecutiveFailures++;
        }
        _latenciesMs[_next] = latencyMs;
        _next = (_next + 1) % _latenciesMs.Length;
        if (_sampleCount < _latenciesMs.Length) _sampleCount++;
    }

    public RestorationMetrics Metrics(TimeSpan elapsed) => new(Calls, Failures, ConsecutivePasses, P99(), elapsed);

    private double P99()
    {
        if (_sampleCount == 0) return double.NaN;
        var sorted = _latenciesMs.AsSpan(0, _sampleCount).ToArray();
        Array.Sort(sorted);
        var index = (int)Math.Ceiling(0.99 * sorted.Length) - 1;
        return sorted[Math.Clamp(index, 0, sorted.Length - 1)];
    }
}
