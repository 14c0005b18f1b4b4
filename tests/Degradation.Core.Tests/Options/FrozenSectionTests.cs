using Microsoft.Extensions.Time.Testing;
using Degradation.Testing;
using Degradation.Tests.Alerts;
using Degradation.Tests.Fallback;

namespace Degradation.Tests.Options;

/// <summary>
/// Feature levels, alert channels and the options of fallback chains, classifiers, routers and drivers are validated once
/// and frozen like the other sections: changing the caller's object afterwards changes nothing, and the frozen copy refuses
/// changes naming the key (its lists and maps are read-only).
/// </summary>
public sealed class FrozenSectionTests
{
    private readonly FakeTimeProvider _time = new(FakeTimeProviderExtensions.TestStart);

    [Fact]
    public async Task Loosening_feature_levels_after_Create_does_not_re_enable_features()
    {
        var options = new DegradationOptions();
        await using var system = NormalSystems.Create(_time, options);

        // Too late: the system runs on the copy it validated. Each change would re-enable features in Halt.
        options.FeatureLevels.ModeLevels[SystemMode.Halt] = FeatureDegradationLevel.Normal;
        options.FeatureLevels.CriticalFailureLevel = FeatureDegradationLevel.Normal;
        options.FeatureLevels = new FeatureLevelOptions { ModeLevels = { [SystemMode.Halt] = FeatureDegradationLevel.Normal } };

        var controller = new FeatureDegradationController(timeProvider: _time);
        using var driver = controller.FollowMode(system);
        system.ReportFailure(ComponentId.Risk, ReasonCode.RiskBreachHard);
        system.Bus.ProcessPending();
        system.StateMachine.Tick();
        await system.StateMachine.FlushObserversAsync();

        Assert.Equal(SystemMode.Halt, system.Gate.Mode);
        Assert.Equal(FeatureDegradationLevel.Emergency, controller.Level);
        Assert.Equal(FeatureDegradationLevel.Emergency, system.Options.FeatureLevels.ModeLevels[SystemMode.Halt]);
        Assert.Equal(FeatureDegradationLevel.DegradedL2, system.Options.FeatureLevels.CriticalFailureLevel);
    }

    [Fact]
    public async Task Changing_alert_channels_after_Create_changes_nothing()
    {
        var options = new DegradationOptions();
        options.AlertChannels.Routes.Add(new AlertChannelRoute { Channel = "pager", MinimumSeverity = Severity.Critical });
        await using var system = DegradationSystem.Create(options, _time);

        options.AlertChannels.AcknowledgementSla.Remove(Severity.Critical); // would let Critical alerts go unacknowledged
        options.AlertChannels.Routes[0].Channel = "nowhere";
        options.AlertChannels.Routes.Add(new AlertChannelRoute { Channel = "chat" });
        options.AlertChannels.HistorySize = 1;

        var channels = system.Options.AlertChannels;
        Assert.Equal(TimeSpan.FromMinutes(5), channels.AcknowledgementSla[Severity.Critical]);
        var route = Assert.Single(channels.Routes);
        Assert.Equal(("pager", Severity.Critical), (route.Channel, route.MinimumSeverity));
        Assert.Equal(500, channels.HistorySize);
    }

    [Fact]
    public async Task The_frozen_copy_refuses_changes_naming_the_key()
    {
        var options = new DegradationOptions();
        options.AlertChannels.Routes.Add(new AlertChannelRoute { Channel = "pager" });
        options.Components["news"] = new ComponentOptions { Critical = true };
        await using var system = DegradationSystem.Create(options, _time);
        var frozen = system.Options;

        Refused("Degradation:FeatureLevels:CriticalFailureLevel", () => frozen.FeatureLevels.CriticalFailureLevel = FeatureDegradationLevel.Normal);
        Refused("Degradation:FeatureLevels:ModeLevels", () => frozen.FeatureLevels.ModeLevels = FeatureLevelOptions.CreateDefaultModeLevels());
        Refused("Degradation:FeatureLevels", () => frozen.FeatureLevels = new FeatureLevelOptions());
        Refused("Degradation:AlertChannels:EscalationChannel", () => frozen.AlertChannels.EscalationChannel = "pager");
        Refused("Degradation:AlertChannels:Routes:0:Channel", () => frozen.AlertChannels.Routes[0].Channel = "chat");
        Refused("Degradation:AlertChannels:Routes", () => frozen.AlertChannels.Routes = []);
        Refused("Degradation:AlertChannels", () => frozen.AlertChannels = new AlertChannelOptions());
        Refused("Degradation:Recovery:StablePeriod", () => frozen.Recovery.StablePeriod = TimeSpan.Zero);
        Refused("Degradation:Components:news:Critical", () => frozen.Components["news"].Critical = false);

        // Lists and maps are read-only: an entry added there would silently do nothing.
        Assert.Throws<NotSupportedException>(() => frozen.FeatureLevels.ModeLevels[SystemMode.Halt] = FeatureDegradationLevel.Normal);
        Assert.Throws<NotSupportedException>(() => frozen.FeatureLevels.ModeLevels.Remove(SystemMode.Halt));
        Assert.Throws<NotSupportedException>(() => frozen.AlertChannels.AcknowledgementSla[Severity.Info] = TimeSpan.FromHours(1));
        Assert.Throws<NotSupportedException>(() => frozen.AlertChannels.Routes.Add(new AlertChannelRoute { Channel = "chat" }));
        Assert.Throws<NotSupportedException>(() => frozen.AlertChannels.Routes.Clear());

        Assert.Equal(FeatureDegradationLevel.Emergency, frozen.FeatureLevels.ModeLevels[SystemMode.Halt]);
        Assert.Equal("pager", Assert.Single(frozen.AlertChannels.Routes).Channel);
        Assert.True(frozen.FeatureLevels.IsFrozen && frozen.AlertChannels.IsFrozen && frozen.AlertChannels.Routes[0].IsFrozen);
    }

    [Fact]
    public async Task Every_map_set_and_list_of_the_frozen_copy_is_read_only()
    {
        var options = new DegradationOptions { Recovery = { BackoffSchedule = [TimeSpan.FromSeconds(10)] } };
        options.DeniedActions[SystemMode.Degraded] = [ActionType.Open];
        options.AllowLoosening.Add("venue.throttled");
        options.DecisionMatrix["venue.throttled"] = SystemMode.Degraded;
        await using var system = DegradationSystem.Create(options, _time);
        var frozen = system.Options;

        // Each change would loosen the running system's rules if it were read later, or silently do nothing.
        Assert.Throws<NotSupportedException>(() => frozen.DecisionMatrix["broker.disconnect"] = SystemMode.Normal);
        Assert.Throws<NotSupportedException>(() => frozen.AllowLoosening.Add("broker.disconnect"));
        Assert.Throws<NotSupportedException>(() => frozen.MustDeliverReasons.Clear());
        Assert.Throws<NotSupportedException>(() => frozen.Components["broker"] = new ComponentOptions { Critical = false });
        Assert.Throws<NotSupportedException>(() => frozen.TradingLimits.Remove(SystemMode.Degraded));
        Assert.Throws<NotSupportedException>(() => frozen.DeniedActions[SystemMode.Degraded].Clear());
        Assert.Throws<NotSupportedException>(() => frozen.DeniedActions.Remove(SystemMode.Degraded));
        Assert.Throws<NotSupportedException>(() => frozen.Recovery.BackoffSchedule[0] = TimeSpan.Zero);
        Refused("Degradation:TradingLimits:Degraded:MaxOrderQuantity", () => system.Policy.GetLimits(SystemMode.Degraded)!.MaxOrderQuantity = null);
        Refused("Degradation:Components:broker:Critical", () => system.Policy.GetComponent(ComponentId.Broker)!.Critical = false);

        Assert.Equal([ActionType.Open], frozen.DeniedActions[SystemMode.Degraded]);
        Assert.Equal([TimeSpan.FromSeconds(10)], frozen.Recovery.BackoffSchedule);
        Assert.True(system.Policy.TryMapReason(new ReasonCode("broker.disconnect"), out var mode));
        Assert.Equal(SystemMode.SafeModeDisconnected, mode);
    }

    [Fact]
    public async Task A_frozen_copy_can_create_another_system_and_a_copy_of_it_is_writable_again()
    {
        await using var first = DegradationSystem.Create(new DegradationOptions(), _time);
        await using var second = DegradationSystem.Create(first.Options, _time);
        Assert.Equal(FeatureDegradationLevel.Emergency, second.Options.FeatureLevels.ModeLevels[SystemMode.Halt]);

        var copy = first.Options.CopyForScope();
        copy.FeatureLevels.ModeLevels[SystemMode.Degraded] = FeatureDegradationLevel.DegradedL2;
        copy.AlertChannels.Routes.Add(new AlertChannelRoute { Channel = "chat" });
        Assert.Equal(FeatureDegradationLevel.DegradedL1, first.Options.FeatureLevels.ModeLevels[SystemMode.Degraded]);
        Assert.Empty(first.Options.AlertChannels.Routes);
    }

    [Fact]
    public async Task A_driver_keeps_the_feature_levels_it_validated()
    {
        await using var system = NormalSystems.Create(_time);
        var levels = new FeatureLevelOptions();
        var controller = new FeatureDegradationController(timeProvider: _time);
        using var driver = new FeatureLevelDriver(controller, system, levels);

        levels.ModeLevels[SystemMode.SafeModeDisconnected] = FeatureDegradationLevel.Normal;
        levels.ModeLevels[SystemMode.Halt] = FeatureDegradationLevel.Normal;
        system.ReportFailure(ComponentId.Broker, ReasonCode.BrokerDisconnect);
        system.Bus.ProcessPending();
        system.StateMachine.Tick();
        await system.StateMachine.FlushObserversAsync();

        Assert.Equal(SystemMode.SafeModeDisconnected, system.Gate.Mode);
        Assert.Equal(FeatureDegradationLevel.Minimal, controller.Level);
    }

    [Fact]
    public async Task A_router_keeps_the_routes_and_deadlines_it_validated()
    {
        var channels = new AlertChannelOptions { Routes = [new AlertChannelRoute { Channel = "pager", MinimumSeverity = Severity.Critical }] };
        var router = new AlertRouter(null, _time, null, channels, null);
        channels.Routes.Clear(); // would make the pager take every alert
        channels.AcknowledgementSla.Clear(); // would stop tracking acknowledgements
        var pager = new RecordingSink();
        router.AddChannel("pager", pager);

        router.Publish(new Alert { Severity = Severity.Warning, Audience = AlertAudiences.Operators, Title = "warning", Time = _time.GetUtcNow() });
        router.Publish(new Alert { Severity = Severity.Critical, Audience = AlertAudiences.Operators, Title = "critical", Time = _time.GetUtcNow() });
        await router.FlushAsync();

        Assert.Equal(["critical"], pager.Titles);
        Assert.Equal(2, router.UnacknowledgedCount); // Warning and Critical both have a deadline
    }

    [Fact]
    public void A_fallback_chain_keeps_the_options_it_validated()
    {
        var primary = new ScriptedSource("primary", 100, _time) { Failing = true };
        var cache = new ScriptedSource("cache", 80, _time);
        var options = new FallbackChainOptions { FailureThreshold = 2, AutoRestore = false };
        var chain = new FallbackChainBuilder<int>("quotes").Primary(primary.Handle).Cache(cache.Handle).WithOptions(options).Build(_time);

        options.FailureThreshold = 1_000; // would keep calling a failing primary
        options.RestorationRamp.Clear();
        for (var i = 0; i < 2; i++) _ = chain.ExecuteAsync().AsTask().GetAwaiter().GetResult();

        Assert.Equal(PrimaryTierState.Broken, chain.PrimaryState);
        Assert.Equal("cache", chain.ActiveTier!.Name);
    }

    [Fact]
    public void A_classifier_keeps_the_thresholds_it_validated()
    {
        var options = new FailureClassificationOptions { LatencyWarning = TimeSpan.FromMilliseconds(50), LatencyCritical = TimeSpan.FromMilliseconds(100) };
        var classifier = new FailureClassifier(options);
        options.LatencyCritical = TimeSpan.FromSeconds(10);
        options.LatencyWarning = TimeSpan.FromSeconds(10);
        Assert.Equal(FailureKind.HighLatency, classifier.Classify(new HealthSample(150, 0, 0)).Kind);
        Assert.Equal(FailureKind.LatencyElevated, classifier.Classify(new HealthSample(100, 0, 0)).Kind); // strictly above
        Assert.Equal(FailureKind.None, classifier.Classify(new HealthSample(50, 0, 0)).Kind);
    }

    [Fact]
    public void Standalone_options_name_the_type_the_property_and_the_value()
    {
        Assert.Equal(
            [
                "FallbackChainOptions:MaxP99Latency must be > 0 (was 00:00:00).",
                "FallbackChainOptions:MinThroughputPerSecond must be a finite number >= 0 (was NaN).",
                "FallbackChainOptions:RollbackErrorRate must be within [0, 1] (was -0.5).",
                "FallbackChainOptions:RestorationRamp must have at least one step (the last sending 100 % of traffic).",
                "FallbackChainOptions:ApprovalAudience must not be empty (was ' ').",
            ],
            new FallbackChainOptions
            {
                MaxP99Latency = TimeSpan.Zero, MinThroughputPerSecond = double.NaN, RollbackErrorRate = -0.5, RestorationRamp = [], ApprovalAudience = " ",
            }.Validate());
        Assert.Equal(
            ["FeatureLevelOptions:CriticalFailureLevel has unknown level '42'; valid levels: Normal, DegradedL1, DegradedL2, Minimal, Emergency, Offline."],
            new FeatureLevelOptions { CriticalFailureLevel = (FeatureDegradationLevel)42 }.Validate());
        Assert.Empty(new FallbackChainOptions().Validate());
        Assert.Empty(new FailureClassificationOptions().Validate());
        Assert.Empty(new FeatureLevelOptions().Validate());
        Assert.Empty(new AlertChannelOptions().Validate());
    }

    private static void Refused(string key, Action change)
    {
        var error = Assert.Throws<InvalidOperationException>(change);
        Assert.StartsWith($"{key} cannot be changed", error.Message, StringComparison.Ordinal);
        Assert.Contains("frozen", error.Message, StringComparison.Ordinal);
    }
}
