namespace TradingHost.Simulation;

/// <summary>A market-data feed whose ticks can stop (stale) or lose quality.</summary>
public sealed class SimulatedMarketData(TimeProvider time)
{
    private long _lastTick = time.GetTimestamp();

    public FaultSwitch Fault { get; } = new();

    /// <summary>Called by the simulation's ticker: a tick arrives unless the feed is down.</summary>
    public void Tick()
    {
        if (!Fault.IsDown) Volatile.Write(ref _lastTick, time.GetTimestamp());
    }

    public TimeSpan Age => time.GetElapsedTime(Volatile.Read(ref _lastTick));

    public bool QualityLow => Fault.Kind is FaultKind.Slow;
}
