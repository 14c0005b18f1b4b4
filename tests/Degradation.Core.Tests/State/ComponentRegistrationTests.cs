using Microsoft.Extensions.Time.Testing;

namespace Degradation.Tests.State;

/// <summary>
/// Registering a well-known component again (to change its TTL or criticality) keeps the defaults the registration
/// does not set: above all its timeout reason, so a broker probe timeout still closes the system as disconnected.
/// </summary>
public class ComponentRegistrationTests
{
    [Fact]
    public void Re_registering_the_broker_for_its_TTL_keeps_its_timeout_reason_category_and_criticality_when_not_set()
    {
        var policy = new DegradationPolicy(new DegradationOptions
        {
            Components = { ["broker"] = new ComponentOptions { Critical = true, StatusTtl = TimeSpan.FromSeconds(20) } },
        });
        var broker = policy.GetComponent(ComponentId.Broker)!;
        Assert.Equal(ReasonCode.BrokerDisconnect.Value, broker.TimeoutReason);
        Assert.Equal("broker", broker.Category);
        Assert.True(broker.Critical);
        Assert.Equal(TimeSpan.FromSeconds(20), broker.StatusTtl);
    }

    [Fact]
    public void A_re_registration_that_sets_its_own_timeout_reason_and_fallback_wins()
    {
        var policy = new DegradationPolicy(new DegradationOptions
        {
            Components = { ["risk"] = new ComponentOptions { Critical = true, TimeoutReason = "risk.slow", Category = "pricing", Fallback = "cached" } },
        });
        var risk = policy.GetComponent(ComponentId.Risk)!;
        Assert.Equal("risk.slow", risk.TimeoutReason);
        Assert.Equal("pricing", risk.Category);
        Assert.Equal("cached", risk.Fallback);
    }

    [Fact]
    public void A_user_component_is_registered_as_given()
    {
        var news = new ComponentOptions { Critical = false, StatusTtl = TimeSpan.FromSeconds(3) };
        var policy = new DegradationPolicy(new DegradationOptions { Components = { ["news"] = news } });
        var registered = policy.GetComponent(new ComponentId("news"))!; // a frozen copy of what was given
        Assert.Equal((news.Critical, news.StatusTtl), (registered.Critical, registered.StatusTtl));
        Assert.True(registered.IsFrozen);
        Assert.Null(policy.GetComponent(new ComponentId("unknown")));
        Assert.Null(policy.GetComponent(default));
    }

    [Fact]
    public async Task A_broker_probe_timeout_still_reports_broker_disconnect_after_re_registering_the_broker()
    {
        var options = new DegradationOptions { Components = { ["broker"] = new ComponentOptions { Critical = true, StatusTtl = TimeSpan.FromSeconds(20) } } };
        await using var system = DegradationSystem.Create(options, new FakeTimeProvider());
        await using var runner = new ProbeRunner(system);
        runner.Add(ComponentId.Broker, new ProbeSettings { Interval = TimeSpan.FromSeconds(1) }, _ => ValueTask.FromResult(ProbeResult.Healthy()));

        Assert.Equal(ReasonCode.BrokerDisconnect, runner.GetStatistics(ComponentId.Broker).TimeoutReason);
        Assert.Equal(SystemMode.SafeModeDisconnected, system.Policy.MapFailure(ReasonCode.BrokerDisconnect, EventType.FailCritical));
    }
}
