using Degradation;

namespace TradingHost.Hosting;

/// <summary>Option values that make every scenario quick in simulated time (all times below are simulated).</summary>
public static class SimulationDefaults
{
    public static readonly TimeSpan ProbeInterval = TimeSpan.FromSeconds(1);
    public static readonly TimeSpan MarketDataTick = TimeSpan.FromMilliseconds(200);

    public static void Apply(DegradationOptions o)
    {
        o.FailThresholdCount = 3;
        o.FailThresholdSeconds = 5;
        o.RecoveryStableSeconds = 5;
        o.MinSafeModeSeconds = 30;
        o.BrokerTimeoutMs = 1000;
        o.MarketDataStaleMs = 3000;
        o.RiskTimeoutMs = 1000;
        o.RiskTimeoutConsecutiveCount = 3;
        o.RecoveryBackoffBaseMs = 500;
        o.RecoveryBackoffMaxMs = 2000;
        o.RecoveryStageTimeoutMs = 5000;
        o.ComponentStatusTtlSeconds = 10;
        o.TickIntervalMs = 200;
    }
}
