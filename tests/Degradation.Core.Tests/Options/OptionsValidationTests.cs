using Microsoft.Extensions.Time.Testing;
using Degradation.Testing;

namespace Degradation.Tests.Options;

/// <summary>Every bad option value is rejected at construction with a message naming the option.</summary>
public class OptionsValidationTests
{
    // name → (mutation, text the single error message must contain)
    private static readonly Dictionary<string, (Action<DegradationOptions> Mutate, string[] Expected)> BadValues = new()
    {
        ["FailThresholdCount=0"] = (o => o.FailThresholdCount = 0, ["FailThresholdCount", "0"]),
        ["FailThresholdCount=-3"] = (o => o.FailThresholdCount = -3, ["FailThresholdCount", "-3"]),
        ["FailThresholdSeconds=-1"] = (o => o.FailThresholdSeconds = -1, ["FailThresholdSeconds", "-1"]),
        ["FailThresholdSeconds=NaN"] = (o => o.FailThresholdSeconds = double.NaN, ["FailThresholdSeconds", "NaN"]),
        ["FailThresholdSeconds=Infinity"] = (o => o.FailThresholdSeconds = double.PositiveInfinity, ["FailThresholdSeconds"]),
        ["RecoveryStableSeconds=-0.5"] = (o => o.RecoveryStableSeconds = -0.5, ["RecoveryStableSeconds", "-0.5"]),
        ["RecoveryStableSeconds=NaN"] = (o => o.RecoveryStableSeconds = double.NaN, ["RecoveryStableSeconds"]),
        ["RecoveryStableSeconds=1e300"] = (o => o.RecoveryStableSeconds = 1e300, ["RecoveryStableSeconds"]),
        ["MinSafeModeSeconds=-1"] = (o => o.MinSafeModeSeconds = -1, ["MinSafeModeSeconds", "-1"]),
        ["MinSafeModeSeconds=1e300"] = (o => o.MinSafeModeSeconds = 1e300, ["MinSafeModeSeconds"]),
        ["BrokerTimeoutMs=-5000"] = (o => o.BrokerTimeoutMs = -5000, ["BrokerTimeoutMs", "-5000"]),
        ["BrokerTimeoutMs=0"] = (o => o.BrokerTimeoutMs = 0, ["BrokerTimeoutMs"]),
        ["MarketDataStaleMs=-1"] = (o => o.MarketDataStaleMs = -1, ["MarketDataStaleMs"]),
        ["RiskTimeoutMs=-2000"] = (o => o.RiskTimeoutMs = -2000, ["RiskTimeoutMs", "-2000"]),
        ["RiskTimeoutConsecutiveCount=0"] = (o => o.RiskTimeoutConsecutiveCount = 0, ["RiskTimeoutConsecutiveCount"]),
        ["DbTimeoutMs=-1"] = (o => o.DbTimeoutMs = -1, ["DbTimeoutMs"]),
        ["MaxRecoveryAttempts=0"] = (o => o.MaxRecoveryAttempts = 0, ["MaxRecoveryAttempts"]),
        ["RecoveryBackoffBaseMs=0"] = (o => o.RecoveryBackoffBaseMs = 0, ["RecoveryBackoffBaseMs"]),
        ["RecoveryBackoffMaxMs=-1"] = (o => o.RecoveryBackoffMaxMs = -1, ["RecoveryBackoffMaxMs"]),
        ["RecoveryBackoffMaxMs<Base"] = (o => { o.RecoveryBackoffBaseMs = 5000; o.RecoveryBackoffMaxMs = 1000; }, ["RecoveryBackoffMaxMs", "RecoveryBackoffBaseMs", "1000", "5000"]),
        ["RecoveryStageTimeoutMs=0"] = (o => o.RecoveryStageTimeoutMs = 0, ["RecoveryStageTimeoutMs"]),
        ["DbBufferMaxEntries=0"] = (o => o.DbBufferMaxEntries = 0, ["DbBufferMaxEntries"]),
        ["DbBufferMaxBytes=-1"] = (o => o.DbBufferMaxBytes = -1, ["DbBufferMaxBytes"]),
        ["DbBufferMaxSeconds=0"] = (o => o.DbBufferMaxSeconds = 0, ["DbBufferMaxSeconds"]),
        ["EventBusQueueSize=0"] = (o => o.EventBusQueueSize = 0, ["EventBusQueueSize", "0"]),
        ["EventBusQueueSize=-10"] = (o => o.EventBusQueueSize = -10, ["EventBusQueueSize", "-10"]),
        ["PositionCacheStaleMs=0"] = (o => o.PositionCacheStaleMs = 0, ["PositionCacheStaleMs"]),
        ["MarketDataCacheStaleMs=-1"] = (o => o.MarketDataCacheStaleMs = -1, ["MarketDataCacheStaleMs"]),
        ["ComponentStatusTtlSeconds=0"] = (o => o.ComponentStatusTtlSeconds = 0, ["ComponentStatusTtlSeconds"]),
        ["MinOverrideSeconds=0"] = (o => o.MinOverrideSeconds = 0, ["MinOverrideSeconds", "0"]),
        ["MaxOverrideSeconds=-1"] = (o => o.MaxOverrideSeconds = -1, ["MaxOverrideSeconds", "-1"]),
        ["MaxOverrideSeconds<Min"] = (o => { o.MinOverrideSeconds = 60; o.MaxOverrideSeconds = 30; }, ["MaxOverrideSeconds", "MinOverrideSeconds", "30", "60"]),
        ["TransitionHistorySize=0"] = (o => o.TransitionHistorySize = 0, ["TransitionHistorySize"]),
        ["TickIntervalMs=0"] = (o => o.TickIntervalMs = 0, ["TickIntervalMs"]),
        ["DecisionMatrix unknown mode"] = (o => o.DecisionMatrix["orderbook.gap"] = (SystemMode)9, ["DecisionMatrix", "orderbook.gap", "9"]),
        ["DecisionMatrix empty reason"] = (o => o.DecisionMatrix[" "] = SystemMode.SafeMode, ["DecisionMatrix", "empty reason"]),
        ["DecisionMatrix loosens broker.mismatch"] = (o => o.DecisionMatrix["broker.mismatch"] = SystemMode.SafeMode, ["DecisionMatrix", "broker.mismatch", "Halt"]),
        ["DecisionMatrix loosens risk.breach_hard"] = (o => o.DecisionMatrix["risk.breach_hard"] = SystemMode.Degraded, ["DecisionMatrix", "risk.breach_hard", "Halt"]),
        ["DecisionMatrix loosens position.unknown"] = (o => o.DecisionMatrix["position.unknown"] = SystemMode.Normal, ["DecisionMatrix", "position.unknown", "Halt"]),
        ["DecisionMatrix loosens recovery.failed"] = (o => o.DecisionMatrix["recovery.failed"] = SystemMode.Recovering, ["DecisionMatrix", "recovery.failed", "Halt"]),
        ["DecisionMatrix null"] = (o => o.DecisionMatrix = null!, ["DecisionMatrix", "null"]),
        ["MustDeliverReasons empty"] = (o => o.MustDeliverReasons.Add(""), ["MustDeliverReasons", "empty"]),
        ["MustDeliverReasons null"] = (o => o.MustDeliverReasons = null!, ["MustDeliverReasons", "null"]),
        ["Components empty name"] = (o => o.Components[""] = new ComponentOptions(), ["Components", "empty"]),
        ["Components null entry"] = (o => o.Components["news"] = null!, ["Components:news", "null"]),
        ["Components null"] = (o => o.Components = null!, ["Components", "null"]),
        ["Components ttl 0"] = (o => o.Components["news"] = new ComponentOptions { StatusTtlSeconds = 0 }, ["Components:news:StatusTtlSeconds", "0"]),
        ["Components ttl NaN"] = (o => o.Components["news"] = new ComponentOptions { StatusTtlSeconds = double.NaN }, ["Components:news:StatusTtlSeconds"]),
        ["Components ttl 1e300"] = (o => o.Components["news"] = new ComponentOptions { StatusTtlSeconds = 1e300 }, ["Components:news:StatusTtlSeconds"]),
        ["Components blank timeout reason"] = (o => o.Components["news"] = new ComponentOptions { TimeoutReason = " " }, ["Components:news:TimeoutReason"]),
        ["TradingLimits unknown mode"] = (o => o.TradingLimits[(SystemMode)7] = new TradingLimits(), ["TradingLimits", "7"]),
        ["TradingLimits null entry"] = (o => o.TradingLimits[SystemMode.Degraded] = null!, ["TradingLimits:Degraded", "null"]),
        ["TradingLimits null"] = (o => o.TradingLimits = null!, ["TradingLimits", "null"]),
        ["TradingLimits quantity 0"] = (o => o.TradingLimits[SystemMode.Degraded] = new TradingLimits { MaxOrderQuantity = 0 }, ["TradingLimits:Degraded:MaxOrderQuantity", "0"]),
        ["TradingLimits positions -1"] = (o => o.TradingLimits[SystemMode.Normal] = new TradingLimits { MaxOpenPositions = -1 }, ["TradingLimits:Normal:MaxOpenPositions", "-1"]),
        ["DeniedActions unknown mode"] = (o => o.DeniedActions[(SystemMode)6] = [ActionType.Open], ["DeniedActions", "6"]),
        ["DeniedActions unknown action"] = (o => o.DeniedActions[SystemMode.Degraded] = [(ActionType)9], ["DeniedActions:Degraded", "9"]),
        ["DeniedActions null"] = (o => o.DeniedActions = null!, ["DeniedActions", "null"]),
    };

    public static TheoryData<string> BadValueNames() => [.. BadValues.Keys];

    [Fact]
    public void Defaults_are_valid()
    {
        Assert.Empty(new DegradationOptions().Validate());
        new DegradationOptions().ValidateAndThrow();
    }

    [Theory]
    [MemberData(nameof(BadValueNames))]
    public void Bad_value_is_reported_once_naming_the_option_and_value(string name)
    {
        var (mutate, expected) = BadValues[name];
        var options = new DegradationOptions();
        mutate(options);
        var error = Assert.Single(options.Validate());
        foreach (var fragment in expected) Assert.Contains(fragment, error, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(BadValueNames))]
    public void Bad_value_fails_at_construction(string name)
    {
        var (mutate, expected) = BadValues[name];
        var options = new DegradationOptions();
        mutate(options);
        var error = Assert.Throws<DegradationOptionsException>(() => DegradationSystem.Create(options, new FakeTimeProvider(FakeTimeProviderExtensions.TestStart)));
        Assert.Contains(expected[0], error.Message, StringComparison.Ordinal);
        Assert.Single(error.Failures);
        Assert.IsAssignableFrom<ArgumentException>(error);
        Assert.Throws<DegradationOptionsException>(() => new DegradationPolicy(options));
    }

    [Fact]
    public void Every_bad_option_is_reported_at_once()
    {
        var options = new DegradationOptions { EventBusQueueSize = 0, BrokerTimeoutMs = -1, MinOverrideSeconds = 0 };
        var error = Assert.Throws<DegradationOptionsException>(options.ValidateAndThrow);
        Assert.Equal(3, error.Failures.Count);
        Assert.Contains("EventBusQueueSize", error.Message);
        Assert.Contains("BrokerTimeoutMs", error.Message);
        Assert.Contains("MinOverrideSeconds", error.Message);
    }

    [Fact]
    public void Edge_values_that_make_sense_are_accepted()
    {
        var options = new DegradationOptions
        {
            RecoveryStableSeconds = 0,
            MinSafeModeSeconds = 0,
            MinOverrideSeconds = 60,
            MaxOverrideSeconds = 60,
            RecoveryBackoffBaseMs = 500,
            RecoveryBackoffMaxMs = 500,
        };
        options.DecisionMatrix["broker.mismatch"] = SystemMode.Halt;   // restating Halt is not loosening
        options.DecisionMatrix["market_data.stale"] = SystemMode.Halt; // tightening is allowed
        options.DecisionMatrix["orderbook.gap"] = SystemMode.Halt;
        options.MustDeliverReasons.Add("orderbook.gap");
        options.TradingLimits[SystemMode.Normal] = new TradingLimits { MaxOpenPositions = 0 };
        options.DeniedActions[SystemMode.Halt] = [ActionType.Query];
        Assert.Empty(options.Validate());
        Assert.Equal(SystemMode.Recovering, DegradationSystem.Create(options, new FakeTimeProvider(FakeTimeProviderExtensions.TestStart)).Gate.Mode);
    }

    [Fact]
    public void Options_can_deny_Query_in_Halt_so_Halt_can_only_get_tighter()
    {
        var options = new DegradationOptions();
        options.DeniedActions[SystemMode.Halt] = [ActionType.Query];
        var system = DegradationSystem.Create(options, new FakeTimeProvider(FakeTimeProviderExtensions.TestStart));
        system.StateMachine.ForceMode(SystemMode.Halt, TimeSpan.FromMinutes(1), "ops", "drill");
        Assert.All(Enum.GetValues<ActionType>(), a => Assert.False(system.Gate.Allows(a)));
    }
}
