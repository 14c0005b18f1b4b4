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
        // Generous in simulated time: at x20-x40 a recovery step's real work (fsync'd replay, reconciliation) on a busy
        // machine would otherwise outlast a short stage timeout and halt a scenario that tests something else.
        o.RecoveryStageTimeoutMs = 60_000;
        o.DbBufferMaxSeconds = 600;
        o.ComponentStatusTtlSeconds = 10;
        o.TickIntervalMs = 200;
        // Workaround: AddProbe registers a bare ComponentOptions for a well-known component when none exists, which
        // replaces the policy's built-in registration and loses its TimeoutReason (a broker probe failure would then
        // report "broker.unavailable" → SafeMode instead of broker.disconnect → SafeModeDisconnected, and a hanging
        // risk service "risk.unavailable" instead of risk.timeout). Registering them explicitly keeps the documented reasons.
        Register(o, ComponentId.Broker, ReasonCode.BrokerDisconnect, "broker");
        Register(o, ComponentId.MarketData, ReasonCode.MarketDataStale, "market data");
        Register(o, ComponentId.Risk, ReasonCode.RiskTimeout, "risk");
    }

    private static void Register(DegradationOptions o, ComponentId component, ReasonCode timeoutReason, string category) =>
        o.Components[component.Name] = new ComponentOptions { Critical = true, TimeoutReason = timeoutReason.Value, Category = category };
}
