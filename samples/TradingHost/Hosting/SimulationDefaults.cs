using Degradation;

namespace TradingHost.Hosting;

/// <summary>Option values that make every scenario quick in simulated time (all times below are simulated).</summary>
public static class SimulationDefaults
{
    public static readonly TimeSpan ProbeInterval = TimeSpan.FromSeconds(1);
    public static readonly TimeSpan MarketDataTick = TimeSpan.FromMilliseconds(200);

    public static void Apply(DegradationOptions o)
    {
        o.Probes.FailThresholdCount = 3;
        o.Probes.FailThresholdDuration = TimeSpan.FromSeconds(5);
        o.Recovery.StablePeriod = TimeSpan.FromSeconds(5);
        o.SafeMode.MinDwell = TimeSpan.FromSeconds(30);
        o.Probes.BrokerTimeout = TimeSpan.FromSeconds(1);
        o.Probes.MarketDataStaleAfter = TimeSpan.FromSeconds(3);
        o.Probes.RiskTimeout = TimeSpan.FromSeconds(1);
        o.Probes.RiskTimeoutConsecutiveCount = 3;
        o.Recovery.BackoffBase = TimeSpan.FromMilliseconds(500);
        o.Recovery.BackoffMax = TimeSpan.FromSeconds(2);
        // Generous in simulated time: at x20-x40 a recovery step's real work (fsync'd replay, reconciliation) on a busy
        // machine would otherwise outlast a short stage timeout and halt a scenario that tests something else.
        o.Recovery.StageTimeout = TimeSpan.FromSeconds(60);
        o.Buffer.MaxAge = TimeSpan.FromSeconds(600);
        o.Status.ComponentTtl = TimeSpan.FromSeconds(10);
        o.StateMachine.TickInterval = TimeSpan.FromMilliseconds(200);
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
