using Microsoft.Extensions.Time.Testing;
using Degradation.Testing;

namespace Degradation.Tests.Options;

/// <summary>Every bad option value is rejected at construction with a message naming the option.</summary>
public class OptionsValidationTests
{
    // name → (mutation, text the single error message must contain)
    private static readonly TimeSpan Negative = TimeSpan.FromSeconds(-1);
    private static readonly TimeSpan TooLong = TimeSpan.FromDays(3651);

    // name → (mutation, text the single error message must contain)
    private static readonly Dictionary<string, (Action<DegradationOptions> Mutate, string[] Expected)> BadValues = new()
    {
        ["FailThresholdCount=0"] = (o => o.Probes.FailThresholdCount = 0, ["Degradation:Probes:FailThresholdCount", "was 0"]),
        ["FailThresholdCount=-3"] = (o => o.Probes.FailThresholdCount = -3, ["Degradation:Probes:FailThresholdCount", "-3"]),
        ["FailThresholdDuration=-1s"] = (o => o.Probes.FailThresholdDuration = Negative, ["Degradation:Probes:FailThresholdDuration", "-00:00:01"]),
        ["FailThresholdDuration=0"] = (o => o.Probes.FailThresholdDuration = TimeSpan.Zero, ["Degradation:Probes:FailThresholdDuration", "00:00:00"]),
        ["FailThresholdDuration=MaxValue"] = (o => o.Probes.FailThresholdDuration = TimeSpan.MaxValue, ["Degradation:Probes:FailThresholdDuration", "at most"]),
        ["StablePeriod=-1s"] = (o => o.Recovery.StablePeriod = Negative, ["Degradation:Recovery:StablePeriod", "-00:00:01"]),
        ["StablePeriod=11y"] = (o => o.Recovery.StablePeriod = TooLong, ["Degradation:Recovery:StablePeriod", "3651.00:00:00"]),
        ["MinDwell=-1s"] = (o => o.SafeMode.MinDwell = Negative, ["Degradation:SafeMode:MinDwell", "-00:00:01"]),
        ["MinDwell=11y"] = (o => o.SafeMode.MinDwell = TooLong, ["Degradation:SafeMode:MinDwell"]),
        ["BrokerTimeout=-5s"] = (o => o.Probes.BrokerTimeout = TimeSpan.FromSeconds(-5), ["Degradation:Probes:BrokerTimeout", "-00:00:05"]),
        ["BrokerTimeout=0"] = (o => o.Probes.BrokerTimeout = TimeSpan.Zero, ["Degradation:Probes:BrokerTimeout"]),
        ["MarketDataStaleAfter=-1s"] = (o => o.Probes.MarketDataStaleAfter = Negative, ["Degradation:Probes:MarketDataStaleAfter"]),
        ["RiskTimeout=-2s"] = (o => o.Probes.RiskTimeout = TimeSpan.FromSeconds(-2), ["Degradation:Probes:RiskTimeout", "-00:00:02"]),
        ["RiskTimeoutConsecutiveCount=0"] = (o => o.Probes.RiskTimeoutConsecutiveCount = 0, ["Degradation:Probes:RiskTimeoutConsecutiveCount"]),
        ["DbTimeout=-1s"] = (o => o.Probes.DbTimeout = Negative, ["Degradation:Probes:DbTimeout"]),
        ["MaxAttempts=0"] = (o => o.Recovery.MaxAttempts = 0, ["Degradation:Recovery:MaxAttempts"]),
        ["BackoffBase=0"] = (o => o.Recovery.BackoffBase = TimeSpan.Zero, ["Degradation:Recovery:BackoffBase"]),
        ["BackoffMax=-1s"] = (o => o.Recovery.BackoffMax = Negative, ["Degradation:Recovery:BackoffMax"]),
        ["BackoffMax<Base"] = (o => { o.Recovery.BackoffBase = TimeSpan.FromSeconds(5); o.Recovery.BackoffMax = TimeSpan.FromSeconds(1); },
            ["Degradation:Recovery:BackoffMax", "Degradation:Recovery:BackoffBase", "00:00:01", "00:00:05"]),
        ["BackoffSchedule entry 0"] = (o => o.Recovery.BackoffSchedule = [TimeSpan.FromSeconds(1), TimeSpan.Zero], ["Degradation:Recovery:BackoffSchedule:1", "00:00:00"]),
        ["BackoffSchedule null"] = (o => o.Recovery.BackoffSchedule = null!, ["Degradation:Recovery:BackoffSchedule", "null"]),
        ["StageTimeout=0"] = (o => o.Recovery.StageTimeout = TimeSpan.Zero, ["Degradation:Recovery:StageTimeout"]),
        ["RefreshInterval=0"] = (o => o.Fallbacks.RefreshInterval = TimeSpan.Zero, ["Degradation:Fallbacks:RefreshInterval"]),
        ["Buffer.MaxEntries=0"] = (o => o.Buffer.MaxEntries = 0, ["Degradation:Buffer:MaxEntries"]),
        ["Buffer.MaxBytes=-1"] = (o => o.Buffer.MaxBytes = -1, ["Degradation:Buffer:MaxBytes", "-1"]),
        ["Buffer.MaxAge=0"] = (o => o.Buffer.MaxAge = TimeSpan.Zero, ["Degradation:Buffer:MaxAge"]),
        ["EventBus.QueueSize=0"] = (o => o.EventBus.QueueSize = 0, ["Degradation:EventBus:QueueSize", "0"]),
        ["EventBus.QueueSize=-10"] = (o => o.EventBus.QueueSize = -10, ["Degradation:EventBus:QueueSize", "-10"]),
        ["Caches.PositionStaleAfter=0"] = (o => o.Caches.PositionStaleAfter = TimeSpan.Zero, ["Degradation:Caches:PositionStaleAfter"]),
        ["Caches.MarketDataStaleAfter=-1s"] = (o => o.Caches.MarketDataStaleAfter = Negative, ["Degradation:Caches:MarketDataStaleAfter"]),
        ["Status.ComponentTtl=0"] = (o => o.Status.ComponentTtl = TimeSpan.Zero, ["Degradation:Status:ComponentTtl"]),
        ["Status.NeverReportedWarning=0"] = (o => o.Status.NeverReportedWarning = TimeSpan.Zero, ["Degradation:Status:NeverReportedWarning"]),
        ["MinOverrideTtl=0"] = (o => o.Operator.MinOverrideTtl = TimeSpan.Zero, ["Degradation:Operator:MinOverrideTtl", "00:00:00"]),
        ["MaxOverrideTtl=-1s"] = (o => o.Operator.MaxOverrideTtl = Negative, ["Degradation:Operator:MaxOverrideTtl", "-00:00:01"]),
        ["MaxOverrideTtl<Min"] = (o => { o.Operator.MinOverrideTtl = TimeSpan.FromMinutes(1); o.Operator.MaxOverrideTtl = TimeSpan.FromSeconds(30); },
            ["Degradation:Operator:MaxOverrideTtl", "Degradation:Operator:MinOverrideTtl", "00:00:30", "00:01:00"]),
        ["KillSwitchActionTimeout=0"] = (o => o.Operator.KillSwitchActionTimeout = TimeSpan.Zero, ["Degradation:Operator:KillSwitchActionTimeout"]),
        ["TransitionHistorySize=0"] = (o => o.StateMachine.TransitionHistorySize = 0, ["Degradation:StateMachine:TransitionHistorySize"]),
        ["TickInterval=0"] = (o => o.StateMachine.TickInterval = TimeSpan.Zero, ["Degradation:StateMachine:TickInterval"]),
        ["Recovery section null"] = (o => o.Recovery = null!, ["Degradation:Recovery", "null"]),
        ["DecisionMatrix unknown mode"] = (o => o.DecisionMatrix["orderbook.gap"] = (SystemMode)9, ["Degradation:DecisionMatrix:orderbook.gap", "9", "safe_mode"]),
        ["DecisionMatrix empty reason"] = (o => o.DecisionMatrix[" "] = SystemMode.SafeMode, ["Degradation:DecisionMatrix", "empty reason"]),
        ["DecisionMatrix loosens broker.mismatch"] = (o => o.DecisionMatrix["broker.mismatch"] = SystemMode.SafeMode, ["Degradation:DecisionMatrix:broker.mismatch", "Halt"]),
        ["DecisionMatrix loosens risk.breach_hard"] = (o => o.DecisionMatrix["risk.breach_hard"] = SystemMode.Degraded, ["DecisionMatrix:risk.breach_hard", "Halt"]),
        ["DecisionMatrix loosens position.unknown"] = (o => o.DecisionMatrix["position.unknown"] = SystemMode.Normal, ["DecisionMatrix:position.unknown", "Halt"]),
        ["DecisionMatrix loosens recovery.failed"] = (o => o.DecisionMatrix["recovery.failed"] = SystemMode.Recovering, ["DecisionMatrix:recovery.failed", "Halt"]),
        ["DecisionMatrix null"] = (o => o.DecisionMatrix = null!, ["Degradation:DecisionMatrix", "null"]),
        ["MustDeliverReasons empty"] = (o => o.MustDeliverReasons.Add(""), ["Degradation:MustDeliverReasons", "empty"]),
        ["MustDeliverReasons null"] = (o => o.MustDeliverReasons = null!, ["MustDeliverReasons", "null"]),
        ["Components empty name"] = (o => o.Components[""] = new ComponentOptions(), ["Degradation:Components", "empty"]),
        ["Components null entry"] = (o => o.Components["news"] = null!, ["Degradation:Components:news", "null"]),
        ["Components null"] = (o => o.Components = null!, ["Components", "null"]),
        ["Components ttl 0"] = (o => o.Components["news"] = new ComponentOptions { StatusTtl = TimeSpan.Zero }, ["Degradation:Components:news:StatusTtl", "00:00:00"]),
        ["Components ttl negative"] = (o => o.Components["news"] = new ComponentOptions { StatusTtl = Negative }, ["Degradation:Components:news:StatusTtl"]),
        ["Components ttl 11y"] = (o => o.Components["news"] = new ComponentOptions { StatusTtl = TooLong }, ["Degradation:Components:news:StatusTtl"]),
        ["Components blank timeout reason"] = (o => o.Components["news"] = new ComponentOptions { TimeoutReason = " " }, ["Degradation:Components:news:TimeoutReason"]),
        ["TradingLimits unknown mode"] = (o => o.TradingLimits[(SystemMode)7] = new TradingLimits(), ["Degradation:TradingLimits", "7", "safe_mode_disconnected"]),
        ["TradingLimits null entry"] = (o => o.TradingLimits[SystemMode.Degraded] = null!, ["Degradation:TradingLimits:Degraded", "null"]),
        ["TradingLimits null"] = (o => o.TradingLimits = null!, ["TradingLimits", "null"]),
        ["TradingLimits quantity 0"] = (o => o.TradingLimits[SystemMode.Degraded] = new TradingLimits { MaxOrderQuantity = 0 }, ["Degradation:TradingLimits:Degraded:MaxOrderQuantity", "0"]),
        ["TradingLimits positions -1"] = (o => o.TradingLimits[SystemMode.Normal] = new TradingLimits { MaxOpenPositions = -1 }, ["Degradation:TradingLimits:Normal:MaxOpenPositions", "-1"]),
        ["DeniedActions unknown mode"] = (o => o.DeniedActions[(SystemMode)6] = [ActionType.Open], ["Degradation:DeniedActions", "6"]),
        ["DeniedActions unknown action"] = (o => o.DeniedActions[SystemMode.Degraded] = [(ActionType)9], ["Degradation:DeniedActions:Degraded", "9", "reduce_only"]),
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
        var options = new DegradationOptions { EventBus = { QueueSize = 0 }, Probes = { BrokerTimeout = TimeSpan.FromMilliseconds(-1) }, Operator = { MinOverrideTtl = TimeSpan.Zero } };
        var error = Assert.Throws<DegradationOptionsException>(options.ValidateAndThrow);
        Assert.Equal(3, error.Failures.Count);
        Assert.Contains("Degradation:EventBus:QueueSize", error.Message);
        Assert.Contains("Degradation:Probes:BrokerTimeout", error.Message);
        Assert.Contains("Degradation:Operator:MinOverrideTtl", error.Message);
    }

    [Fact]
    public async Task Edge_values_that_make_sense_are_accepted()
    {
        var options = new DegradationOptions
        {
            Recovery = { StablePeriod = TimeSpan.Zero, BackoffBase = TimeSpan.FromMilliseconds(500), BackoffMax = TimeSpan.FromMilliseconds(500) },
            SafeMode = { MinDwell = TimeSpan.Zero },
            Operator = { MinOverrideTtl = TimeSpan.FromSeconds(60), MaxOverrideTtl = TimeSpan.FromSeconds(60) },
        };
        options.DecisionMatrix["broker.mismatch"] = SystemMode.Halt;   // restating Halt is not loosening
        options.DecisionMatrix["market_data.stale"] = SystemMode.Halt; // tightening is allowed
        options.DecisionMatrix["orderbook.gap"] = SystemMode.Halt;
        options.MustDeliverReasons.Add("orderbook.gap");
        options.TradingLimits[SystemMode.Normal] = new TradingLimits { MaxOpenPositions = 0 };
        options.DeniedActions[SystemMode.Halt] = [ActionType.Query];
        Assert.Empty(options.Validate());
        await using var system = DegradationSystem.Create(options, new FakeTimeProvider(FakeTimeProviderExtensions.TestStart));
        Assert.Equal(SystemMode.Recovering, system.Gate.Mode);
    }

    [Fact]
    public async Task Options_can_deny_Query_in_Halt_so_Halt_can_only_get_tighter()
    {
        var options = new DegradationOptions();
        options.DeniedActions[SystemMode.Halt] = [ActionType.Query];
        await using var system = DegradationSystem.Create(options, new FakeTimeProvider(FakeTimeProviderExtensions.TestStart));
        system.StateMachine.ForceMode(SystemMode.Halt, TimeSpan.FromMinutes(1), "ops", "drill");
        Assert.All(Enum.GetValues<ActionType>(), a => Assert.False(system.Gate.Allows(a)));
    }
}
