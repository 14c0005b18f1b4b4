using Degradation.Tests.State;

namespace Degradation.Tests.Events;

/// <summary>A component is its name: an id built from a string read at run time is the same component as the well-known one.</summary>
public class ComponentIdTests
{
    /// <summary>A "broker" that is a different string instance, as configuration binding or JSON parsing yields.</summary>
    private static ComponentId BrokerFromConfiguration() => new(new string("broker".AsSpan()));

    [Fact]
    public void Ids_are_equal_by_name_not_by_string_instance()
    {
        var read = BrokerFromConfiguration();
        Assert.False(ReferenceEquals(read.Name, ComponentId.Broker.Name));
        Assert.Equal(ComponentId.Broker, read);
        Assert.True(read == ComponentId.Broker);
        Assert.False(read != ComponentId.Broker);
        Assert.True(read.Equals((object)ComponentId.Broker));
        Assert.Equal(ComponentId.Broker.GetHashCode(), read.GetHashCode());
        Assert.Single(new HashSet<ComponentId> { ComponentId.Broker, read });
    }

    [Fact]
    public void Ids_with_different_names_differ_and_comparison_is_ordinal()
    {
        Assert.NotEqual(ComponentId.Broker, new ComponentId("Broker"));
        Assert.True(ComponentId.Broker != ComponentId.Risk);
        Assert.False(ComponentId.Broker.Equals((object)"broker"));
        Assert.NotEqual(default, ComponentId.Broker);
        Assert.Equal(default(ComponentId), default);
        Assert.Equal(0, default(ComponentId).GetHashCode());
        Assert.True(default(ComponentId).IsEmpty);
        Assert.Equal("", default(ComponentId).Name);
        Assert.False(ComponentId.Broker.IsEmpty);
        Assert.Equal("broker", ComponentId.Broker.ToString());
        Assert.Equal(ComponentId.Broker, (ComponentId)"broker");
    }

    [Theory]
    [InlineData("")]
    [InlineData("  ")]
    public void A_blank_name_is_refused(string name) =>
        Assert.Throws<ArgumentException>(() => new ComponentId(name));

    [Fact]
    public void A_failure_reported_under_a_name_read_at_run_time_lands_on_the_registered_component()
    {
        using var driver = SystemDriver.Create().ToNormal();
        driver.Machine.Apply(driver.Event(EventType.FailCritical, BrokerFromConfiguration(), ReasonCode.BrokerDisconnect));
        driver.Expect(SystemMode.SafeModeDisconnected);
        Assert.Equal(1, driver.Machine.GetComponents().Count(c => c.Id.Name == "broker"));
        Assert.Contains(driver.Machine.GetComponent(ComponentId.Broker)!.Conditions, c => c.Reason == ReasonCode.BrokerDisconnect);

        driver.Machine.Apply(driver.Event(EventType.Recovered, BrokerFromConfiguration()));
        Assert.Empty(driver.Machine.GetComponent(ComponentId.Broker)!.Conditions);
    }
}
