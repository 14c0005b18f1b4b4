using Microsoft.Extensions.Time.Testing;
using Degradation.Testing;

namespace Degradation.Tests.Acceptance;

/// <summary>The domain model: modes and their severity order, component levels, recovery stages, events and the must-deliver reasons.</summary>
public class DomainModelTests
{
    [Fact]
    public void test_all_modes_defined()
    {
        Assert.Equal(6, Enum.GetValues<SystemMode>().Length);
        Assert.Equal(["Normal", "Recovering", "Degraded", "SafeMode", "SafeModeDisconnected", "Halt"], Enum.GetNames<SystemMode>());
    }

    [Fact]
    public void test_priority_order()
    {
        // The enum value is the mode's severity (docs/RULES.md, Modes).
        Assert.Equal(0, (int)SystemMode.Normal);
        Assert.Equal(1, (int)SystemMode.Recovering);
        Assert.Equal(2, (int)SystemMode.Degraded);
        Assert.Equal(3, (int)SystemMode.SafeMode);
        Assert.Equal(4, (int)SystemMode.SafeModeDisconnected);
        Assert.Equal(5, (int)SystemMode.Halt);
    }

    [Fact]
    public void test_conflict_resolution_takes_max()
    {
        SystemMode[] modes = [SystemMode.Degraded, SystemMode.SafeMode, SystemMode.Normal];
        Assert.Equal(SystemMode.SafeMode, modes.Max());
    }

    [Fact]
    public void test_all_levels_defined()
    {
        // Three health levels plus Unknown (stale status is not health, rule 9 in docs/RULES.md).
        Assert.Equal(["Healthy", "Unstable", "Tripped", "Unknown"], Enum.GetNames<ComponentLevel>());
    }

    [Fact]
    public void test_all_stages_defined()
    {
        Assert.Equal(["ConnectBroker", "CatchupMarketData", "VerifyRisk", "Ready"], Enum.GetNames<RecoveryStage>());
    }

    [Fact]
    public void test_recovery_triggers_and_event_types_defined()
    {
        Assert.Equal(["Auto", "Manual", "ColdStart"], Enum.GetNames<RecoveryTrigger>());
        Assert.Equal(["FailCritical", "FailSupport", "Recovered", "Heartbeat", "QualityDegraded"], Enum.GetNames<EventType>());
        Assert.Equal(["Info", "Warning", "Critical"], Enum.GetNames<Severity>());
        Assert.Equal(["Open", "Send", "Amend", "Cancel", "ReduceOnly", "Query"], Enum.GetNames<ActionType>());
    }

    [Fact]
    public void test_create_event()
    {
        var time = new FakeTimeProvider(FakeTimeProviderExtensions.TestStart);
        var e = new SystemEvent(EventType.FailCritical, ComponentId.Broker, ReasonCode.BrokerDisconnect, Severity.Critical,
            time.GetUtcNow(), time.GetTimestamp());
        Assert.Equal(EventType.FailCritical, e.Type);
        Assert.Equal(ComponentId.Broker, e.Component);
        Assert.Equal(ReasonCode.BrokerDisconnect, e.Reason);
        Assert.Null(e.Details);
        Assert.Null(e.Ttl);
    }

    [Fact]
    public void test_is_critical_whitelist()
    {
        // Whether an event is critical is the policy's must-deliver check (the set is configurable).
        var policy = new DegradationPolicy(new DegradationOptions());
        Assert.True(policy.IsMustDeliver(ReasonCode.BrokerDisconnect));
        Assert.False(policy.IsMustDeliver(ReasonCode.AlertsChannelDown));
    }

    [Fact]
    public void test_must_deliver_events_whitelist()
    {
        IReadOnlySet<string> mustDeliver = DefaultDecisionMatrix.MustDeliver;
        Assert.Contains(ReasonCode.BrokerDisconnect.Value, mustDeliver);
        Assert.Contains(ReasonCode.PositionUnknown.Value, mustDeliver);
        Assert.Contains(ReasonCode.BrokerMismatch.Value, mustDeliver);
        Assert.Contains(ReasonCode.RiskBreachHard.Value, mustDeliver);
        Assert.DoesNotContain(ReasonCode.AlertsChannelDown.Value, mustDeliver);
        Assert.DoesNotContain(ReasonCode.MarketDataQualityLow.Value, mustDeliver);
    }
}
