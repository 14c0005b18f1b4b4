using Degradation.Tests.State;

namespace Degradation.Tests.Acceptance;

/// <summary>The state machine as a service: cold start, escalation, most severe wins, earned de-escalation and forced modes.</summary>
public class StateServiceAcceptanceTests
{
    [Fact]
    public void test_cold_start_is_recovering()
    {
        using var service = SystemDriver.Create();
        Assert.Equal(SystemMode.Recovering, service.Machine.Mode);
        Assert.Equal(RecoveryStage.ConnectBroker, service.Machine.Stage);
    }

    [Fact]
    public void test_transition_to_safe_mode()
    {
        using var service = SystemDriver.Create();
        service.Apply(EventType.FailCritical, ComponentId.Broker, ReasonCode.BrokerDisconnect);
        Assert.Equal(SystemMode.SafeModeDisconnected, service.Machine.Mode);
        Assert.Equal(SystemMode.SafeModeDisconnected, service.Gate.Mode);
    }

    [Fact]
    public void test_takes_most_severe()
    {
        using var service = SystemDriver.Create();
        service.Apply(EventType.FailSupport, ComponentId.Alerts, ReasonCode.AlertsChannelDown);   // -> Degraded
        service.Apply(EventType.FailCritical, ComponentId.MarketData, ReasonCode.MarketDataStale); // -> SafeMode
        Assert.Equal(SystemMode.SafeMode, service.Machine.Mode);
    }

    [Fact]
    public void test_cannot_downgrade_without_recovery()
    {
        using var service = SystemDriver.Create();
        service.Apply(EventType.FailCritical, ComponentId.MarketData, ReasonCode.MarketDataStale);
        Assert.Equal(SystemMode.SafeMode, service.Machine.Mode);
        service.Apply(EventType.Recovered, ComponentId.MarketData, ReasonCode.AllHealthy);
        Assert.Contains(service.Machine.Mode, new[] { SystemMode.SafeMode, SystemMode.Recovering });
        Assert.Equal(SystemMode.SafeMode, service.Machine.Mode); // SafeMode:MinDwell has not passed yet (rule 5)
    }

    [Fact]
    public void test_force_mode_with_ttl()
    {
        using var service = SystemDriver.Create();
        // Fail closed: at cold start nothing has reported, so forcing Normal must acknowledge the unknown components.
        Assert.False(service.Machine.ForceMode(SystemMode.Normal, TimeSpan.FromSeconds(300), "admin", "Emergency override").Accepted);
        service.Machine.ForceMode(SystemMode.Normal, TimeSpan.FromSeconds(300), "admin", "Emergency override", acknowledge: [ReasonCode.ComponentUnknown]);
        Assert.Equal(SystemMode.Normal, service.Machine.Mode);
        Assert.True(service.Machine.IsOverrideActive);
    }

    [Fact]
    public void test_force_override_blocks_auto_transitions()
    {
        using var service = SystemDriver.Create();
        service.Machine.ForceMode(SystemMode.SafeMode, TimeSpan.FromSeconds(300), "admin", "Testing");
        service.Apply(EventType.FailSupport, ComponentId.Alerts, ReasonCode.AlertsChannelDown);
        Assert.Equal(SystemMode.SafeMode, service.Machine.Mode);
    }

    [Fact]
    public void test_force_override_expiry_re_derives_the_mode()
    {
        // Rule 8 in docs/RULES.md: expiry does not just flip a flag and leave the forced mode in place; it re-derives
        // the mode from the component state.
        using var service = SystemDriver.Create();
        service.Machine.ForceMode(SystemMode.Normal, TimeSpan.FromSeconds(300), "admin", "Testing");
        service.Apply(EventType.FailSupport, ComponentId.Alerts, ReasonCode.AlertsChannelDown);
        service.Advance(300);
        Assert.False(service.Machine.IsOverrideActive);
        Assert.NotEqual(SystemMode.Normal, service.Machine.Mode);
    }
}
