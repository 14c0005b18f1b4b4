using Microsoft.Extensions.Time.Testing;
using Degradation.Testing;

namespace Degradation.Tests.Acceptance;

/// <summary>The default option values, and how options are frozen into a policy and owned per system.</summary>
public class DefaultOptionsTests
{
    [Fact]
    public void test_default_values()
    {
        var config = new DegradationOptions();
        // Probes: hysteresis and timeouts
        Assert.Equal(3, config.Probes.FailThresholdCount);
        Assert.Equal(TimeSpan.FromSeconds(5), config.Probes.FailThresholdDuration);
        Assert.Equal(TimeSpan.FromSeconds(5), config.Probes.BrokerTimeout);
        Assert.Equal(TimeSpan.FromSeconds(10), config.Probes.MarketDataStaleAfter);
        Assert.Equal(TimeSpan.FromSeconds(2), config.Probes.RiskTimeout);
        Assert.Equal(3, config.Probes.RiskTimeoutConsecutiveCount);
        Assert.Equal(TimeSpan.FromSeconds(3), config.Probes.DbTimeout);
        // Recovery and SafeMode
        Assert.Equal(TimeSpan.FromSeconds(10), config.Recovery.StablePeriod);
        Assert.Equal(TimeSpan.FromSeconds(30), config.SafeMode.MinDwell);
        Assert.Equal(3, config.Recovery.MaxAttempts);
        Assert.Equal(TimeSpan.FromSeconds(1), config.Recovery.BackoffBase);
        Assert.Equal(TimeSpan.FromSeconds(30), config.Recovery.BackoffMax);
        Assert.Equal(TimeSpan.FromSeconds(30), config.Recovery.StageTimeout);
        Assert.True(config.Recovery.AutoToNormal);
        // DB buffer
        Assert.Equal(1000, config.Buffer.MaxEntries);
        Assert.Equal(10_000_000, config.Buffer.MaxBytes);
        Assert.Equal(TimeSpan.FromSeconds(60), config.Buffer.MaxAge);
        // EventBus
        Assert.Equal(10000, config.EventBus.QueueSize);
        Assert.True(config.EventBus.DropOnFull);
        // Caches and status
        Assert.Equal(TimeSpan.FromSeconds(30), config.Caches.PositionStaleAfter);
        Assert.Equal(TimeSpan.FromSeconds(10), config.Caches.MarketDataStaleAfter);
        Assert.Equal(TimeSpan.FromSeconds(30), config.Status.ComponentTtl);
        // Overrides (rule 8 in docs/RULES.md)
        Assert.Equal(TimeSpan.FromSeconds(1), config.Operator.MinOverrideTtl);
        Assert.Equal(TimeSpan.FromHours(1), config.Operator.MaxOverrideTtl);
        Assert.Equal(TimeSpan.FromMilliseconds(100), config.StateMachine.TickInterval);
        Assert.Equal(50m, config.TradingLimits[SystemMode.Degraded].MaxOrderQuantity);
    }

    [Fact]
    public async Task test_config_immutable()
    {
        // What the system runs on is validated once at Create and frozen: later changes to the caller's object do nothing.
        var options = new DegradationOptions();
        await using var system = DegradationSystem.Create(options, new FakeTimeProvider(FakeTimeProviderExtensions.TestStart));
        options.DecisionMatrix["market_data.stale"] = SystemMode.Degraded;
        options.MustDeliverReasons.Add("market_data.stale");
        options.Components["news"] = new ComponentOptions { Critical = true };
        Assert.True(system.Policy.TryMapReason(ReasonCode.MarketDataStale, out var mode));
        Assert.Equal(SystemMode.SafeMode, mode);
        Assert.False(system.Policy.IsMustDeliver(ReasonCode.MarketDataStale));
        Assert.False(system.Policy.Components.ContainsKey("news"));
        Assert.IsNotType<Dictionary<string, SystemMode>>(system.Policy.DecisionMatrix);
    }

    [Fact]
    public async Task test_get_config_returns_singleton()
    {
        // No module-level singleton (no global state). Each system owns its
        // options; two systems never share state.
        await using var a = DegradationSystem.Create(new DegradationOptions { Recovery = { StablePeriod = TimeSpan.FromSeconds(1) } }, new FakeTimeProvider(FakeTimeProviderExtensions.TestStart));
        await using var b = DegradationSystem.Create(new DegradationOptions(), new FakeTimeProvider(FakeTimeProviderExtensions.TestStart));
        Assert.Same(a.Options, a.Policy.Options);
        Assert.NotSame(a.Options, b.Options);
        Assert.Equal(TimeSpan.FromSeconds(1), a.Options.Recovery.StablePeriod);
        Assert.Equal(TimeSpan.FromSeconds(10), b.Options.Recovery.StablePeriod);
    }
}
