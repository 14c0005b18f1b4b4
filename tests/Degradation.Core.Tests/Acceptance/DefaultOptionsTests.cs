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
        // Hysteresis
        Assert.Equal(3, config.FailThresholdCount);
        Assert.Equal(5.0, config.FailThresholdSeconds);
        Assert.Equal(10.0, config.RecoveryStableSeconds);
        Assert.Equal(30.0, config.MinSafeModeSeconds);
        // Timeouts
        Assert.Equal(5000, config.BrokerTimeoutMs);
        Assert.Equal(10000, config.MarketDataStaleMs);
        Assert.Equal(2000, config.RiskTimeoutMs);
        Assert.Equal(3, config.RiskTimeoutConsecutiveCount);
        Assert.Equal(3000, config.DbTimeoutMs);
        // Recovery
        Assert.Equal(3, config.MaxRecoveryAttempts);
        Assert.Equal(1000, config.RecoveryBackoffBaseMs);
        Assert.True(config.AutoRecoveryToNormal);
        // DB buffer
        Assert.Equal(1000, config.DbBufferMaxEntries);
        Assert.Equal(10_000_000, config.DbBufferMaxBytes);
        Assert.Equal(60.0, config.DbBufferMaxSeconds);
        // EventBus
        Assert.Equal(10000, config.EventBusQueueSize);
        Assert.True(config.EventBusDropOnFull);
        // Caches and status
        Assert.Equal(30000, config.PositionCacheStaleMs);
        Assert.Equal(10000, config.MarketDataCacheStaleMs);
        Assert.Equal(30, config.ComponentStatusTtlSeconds);
        // Overrides (rule 8 in docs/RULES.md)
        Assert.Equal(1, config.MinOverrideSeconds);
        Assert.Equal(3600, config.MaxOverrideSeconds);
        Assert.True(config.MustDeliverBreaksOverride);
        Assert.Equal(50m, config.TradingLimits[SystemMode.Degraded].MaxOrderQuantity);
    }

    [Fact]
    public void test_config_immutable()
    {
        // Options are bindable POCOs, not a frozen record; what the system runs on is the
        // compiled DegradationPolicy, whose matrix, must-deliver set and registry are frozen copies.
        var options = new DegradationOptions();
        var system = DegradationSystem.Create(options, new FakeTimeProvider(FakeTimeProviderExtensions.TestStart));
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
    public void test_get_config_returns_singleton()
    {
        // No module-level singleton (no global state). Each system owns its
        // options; two systems never share state.
        var a = DegradationSystem.Create(new DegradationOptions { RecoveryStableSeconds = 1 }, new FakeTimeProvider(FakeTimeProviderExtensions.TestStart));
        var b = DegradationSystem.Create(new DegradationOptions(), new FakeTimeProvider(FakeTimeProviderExtensions.TestStart));
        Assert.Same(a.Options, a.Policy.Options);
        Assert.NotSame(a.Options, b.Options);
        Assert.Equal(1, a.Options.RecoveryStableSeconds);
        Assert.Equal(10, b.Options.RecoveryStableSeconds);
    }
}
