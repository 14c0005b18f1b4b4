using Degradation.Tests.State;

namespace Degradation.Tests.Operator;

/// <summary>A condition belongs to the source that raised it; a Recovered clears only its own source's conditions.</summary>
public class ConditionSourceTests
{
    private static readonly ConditionSource BrokerProbe = ConditionSource.Probe("broker");
    private static readonly ConditionSource BrokerBreaker = ConditionSource.Breaker("broker");

    private static void Apply(SystemDriver driver, EventType type, ComponentId component, ReasonCode reason, ConditionSource source) =>
        driver.Machine.Apply(SystemEvent.Create(driver.Time, type, component, reason, source: source));

    [Fact]
    public void A_probes_recovered_does_not_clear_what_an_open_breaker_raised_on_the_same_component()
    {
        using var driver = SystemDriver.Create().ToNormal();
        Apply(driver, EventType.FailCritical, ComponentId.Broker, ReasonCode.BrokerDisconnect, BrokerBreaker);
        Apply(driver, EventType.FailCritical, ComponentId.Broker, ReasonCode.BrokerDisconnect, BrokerProbe);
        Assert.Equal(2, driver.Machine.GetComponent(ComponentId.Broker)!.Conditions.Count);

        Apply(driver, EventType.Recovered, ComponentId.Broker, ReasonCode.ComponentRecovered, BrokerProbe);
        var left = Assert.Single(driver.Machine.GetConditions());
        Assert.Equal((ComponentId.Broker, ReasonCode.BrokerDisconnect, BrokerBreaker), (left.Component, left.Reason, left.Source));
        driver.Expect(SystemMode.SafeModeDisconnected);

        Apply(driver, EventType.Recovered, ComponentId.Broker, ReasonCode.ComponentRecovered, ConditionSource.User("desk-tool"));
        Assert.Single(driver.Machine.GetConditions()); // nor does a user source's

        Apply(driver, EventType.Recovered, ComponentId.Broker, ReasonCode.ComponentRecovered, BrokerBreaker);
        Assert.Empty(driver.Machine.GetConditions());
    }

    [Fact]
    public void Conditions_report_their_source_and_component_to_operators()
    {
        using var driver = SystemDriver.Create().ToNormal();
        Apply(driver, EventType.FailSupport, ComponentId.Db, ReasonCode.DbWriteFailBuffered, ConditionSource.WriteBuffer);
        Apply(driver, EventType.FailCritical, ComponentId.WriteBuffer, ReasonCode.DbBufferOverflow, ConditionSource.WriteBuffer);
        var conditions = driver.Machine.GetConditions();
        Assert.Contains(conditions, c => c.Component == ComponentId.Db && c.Source.Kind == ConditionSourceKind.WriteBuffer);
        // The write buffer is its own component and, like the system, is never capped at Degraded.
        Assert.Contains(conditions, c => c.Component == ComponentId.WriteBuffer && c.Mode == SystemMode.SafeMode);
        driver.Expect(SystemMode.SafeMode);
        Assert.Equal("write_buffer", ConditionSource.WriteBuffer.ToString());
        Assert.Equal("probe:broker", BrokerProbe.ToString());
        Assert.Equal(ConditionSourceKind.WriteBuffer, driver.Machine.GetComponent(ComponentId.WriteBuffer)!.Conditions[0].Source.Kind);
        Assert.NotEqual(ComponentLevel.Unknown, driver.Machine.GetComponent(ComponentId.WriteBuffer)!.Level);
    }

    [Fact]
    public void A_breaker_publishes_under_its_own_source()
    {
        using var driver = SystemDriver.Create().ToNormal();
        var seen = new List<SystemEvent>();
        using var _ = driver.Bus.Subscribe(seen.Add);
        var options = new ComponentBreakerOptions { MinimumThroughput = 1, FailureRatio = 0.5 };
        var breaker = new ComponentCircuitBreaker(ComponentId.Broker, options, driver.System.Policy, driver.Bus, driver.Time);
        for (var i = 0; i < 3 && breaker.TryAcquire(out var permit); i++) breaker.Record(permit, success: false);
        driver.Bus.ProcessPending();
        Assert.Contains(seen, e => e.Source == BrokerBreaker && e.Type == EventType.FailCritical);
        Assert.Contains(driver.Machine.GetConditions(), c => c.Source == BrokerBreaker);
    }
}
