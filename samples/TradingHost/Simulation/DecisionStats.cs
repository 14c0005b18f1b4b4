namespace TradingHost.Simulation;

/// <summary>Order decisions counted per mode: allowed and refused.</summary>
public sealed class DecisionStats
{
    private readonly long[] _allowed = new long[6];
    private readonly long[] _refused = new long[6];

    public void Record(Degradation.SystemMode mode, bool allowed)
    {
        if (allowed) Interlocked.Increment(ref _allowed[(int)mode]);
        else Interlocked.Increment(ref _refused[(int)mode]);
    }

    public long Allowed(Degradation.SystemMode mode) => Interlocked.Read(ref _allowed[(int)mode]);

    public long Refused(Degradation.SystemMode mode) => Interlocked.Read(ref _refused[(int)mode]);

    public long TotalAllowed => _allowed.Sum();

    public long TotalRefused => _refused.Sum();

    public long Total => TotalAllowed + TotalRefused;
}
