using Degradation.Classification;
using Degradation.Fallback;
using Degradation.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Degradation.Tests.Options;

/// <summary>
/// Feature levels and alert channels bind from configuration like the other sections and the hosted system runs on a
/// frozen copy of them; the options a host binds for fallback chains and classifiers are checked by the same generated
/// validators as the sections, with the messages <c>Validate()</c> gives.
/// </summary>
public sealed class FrozenSectionBindingTests
{
    [Fact]
    public async Task Feature_levels_and_alert_channels_bind_and_the_system_runs_on_a_frozen_copy()
    {
        var builder = TestHosts.Builder("""
        {"Degradation":{
          "FeatureLevels":{"ModeLevels":{"degraded":"DegradedL2","SAFE_MODE":"emergency","safe_mode_disconnected":"Emergency"},"CriticalFailureLevel":"minimal"},
          "AlertChannels":{
            "Routes":[{"Channel":"pager","Audience":"oncall","MinimumSeverity":"critical"},{"Channel":"chat"}],
            "AcknowledgementSla":{"warning":"00:30:00","Info":"01:00:00"},
            "EscalationChannel":"pager","HistorySize":50}
        }}
        """);
        builder.Services.AddGracefulDegradation(builder.Configuration.GetSection(DegradationOptions.SectionName));
        using var host = builder.Build();
        await host.StartAsync();
        try
        {
            var bound = host.Services.GetRequiredService<IOptions<DegradationOptions>>().Value;
            var system = host.Services.GetRequiredService<DegradationSystem>();
            foreach (var options in new[] { bound, system.Options })
            {
                var levels = options.FeatureLevels;
                Assert.Equal(FeatureDegradationLevel.DegradedL2, levels.ModeLevels[SystemMode.Degraded]);
                Assert.Equal(FeatureDegradationLevel.Emergency, levels.ModeLevels[SystemMode.SafeMode]);
                Assert.Equal(FeatureDegradationLevel.Emergency, levels.ModeLevels[SystemMode.SafeModeDisconnected]);
                Assert.Equal(FeatureDegradationLevel.DegradedL2, levels.ModeLevels[SystemMode.Recovering]); // untouched: default
                Assert.Equal(FeatureDegradationLevel.Minimal, levels.CriticalFailureLevel);
                var channels = options.AlertChannels;
                Assert.Equal([("pager", "oncall", Severity.Critical), ("chat", (string?)null, Severity.Info)],
                    channels.Routes.Select(r => (r.Channel, r.Audience, r.MinimumSeverity)));
                Assert.Equal(TimeSpan.FromMinutes(30), channels.AcknowledgementSla[Severity.Warning]);
                Assert.Equal(TimeSpan.FromHours(1), channels.AcknowledgementSla[Severity.Info]);
                Assert.Equal(TimeSpan.FromMinutes(5), channels.AcknowledgementSla[Severity.Critical]); // untouched: default
                Assert.Equal(("pager", 50), (channels.EscalationChannel, channels.HistorySize));
            }

            // The bound object stays the host's; the system's copy is frozen and shares nothing with it.
            bound.FeatureLevels.ModeLevels[SystemMode.Halt] = FeatureDegradationLevel.Normal;
            bound.AlertChannels.Routes.Clear();
            Assert.Equal(FeatureDegradationLevel.Emergency, system.Options.FeatureLevels.ModeLevels[SystemMode.Halt]);
            Assert.Equal(2, system.Options.AlertChannels.Routes.Count);
            Assert.Throws<NotSupportedException>(() => system.Options.FeatureLevels.ModeLevels[SystemMode.Halt] = FeatureDegradationLevel.Normal);
            var error = Assert.Throws<InvalidOperationException>(() => system.Options.AlertChannels.Routes[1].MinimumSeverity = Severity.Critical);
            Assert.StartsWith("Degradation:AlertChannels:Routes:1:MinimumSeverity cannot be changed", error.Message, StringComparison.Ordinal);
        }
        finally
        {
            await host.StopAsync();
        }
    }

    [Theory]
    [InlineData("""{"Degradation":{"FeatureLevels":{"ModeLevels":{"halt":"Normal"}}}}""",
        "Degradation:FeatureLevels:ModeLevels:Halt (Normal) must not be milder than Degradation:FeatureLevels:ModeLevels:SafeModeDisconnected (Minimal): a stricter mode cannot re-enable features.")]
    [InlineData("""{"Degradation":{"FeatureLevels":{"CriticalFailureLevel":"Emergncy"}}}""",
        "Degradation:FeatureLevels:CriticalFailureLevel has unknown value 'Emergncy'; valid values: Normal, DegradedL1, DegradedL2, Minimal, Emergency, Offline.")]
    [InlineData("""{"Degradation":{"AlertChannels":{"HistorySize":0}}}""",
        "Degradation:AlertChannels:HistorySize must be >= 1 (was 0).")]
    [InlineData("""{"Degradation":{"AlertChannels":{"Routes":[{"Channel":""}]}}}""",
        "Degradation:AlertChannels:Routes:0:Channel must not be empty (was '').")]
    [InlineData("""{"Degradation":{"AlertChannels":{"AcknowledgementSla":{"critical":"8.00:00:00"}}}}""",
        "Degradation:AlertChannels:AcknowledgementSla:Critical must be at most 7.00:00:00 (was 8.00:00:00).")]
    [InlineData("""{"Degradation":{"AlertChannels":{"AcknowledgementSla":{"critical":300}}}}""",
        "Degradation:AlertChannels:AcknowledgementSla:critical is a plain number ('300'); write a duration such as \"00:00:30\" (hh:mm:ss, or d.hh:mm:ss) — a bare number would be read as days.")]
    public async Task A_bad_feature_level_or_alert_channel_stops_the_host_naming_the_key_and_the_value(string json, string message)
    {
        var builder = TestHosts.Builder(json);
        builder.Services.AddGracefulDegradation(builder.Configuration.GetSection(DegradationOptions.SectionName));
        using var host = builder.Build();
        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync());
        Assert.Equal(message, Assert.Single(error.Failures));
    }

    [Fact]
    public void The_generated_validators_of_chain_and_classifier_options_give_the_messages_Validate_gives()
    {
        var chains = new[]
        {
            new FallbackChainOptions(),
            new FallbackChainOptions { BreakDuration = TimeSpan.FromDays(50), MaxP99Latency = TimeSpan.Zero, MaxErrorRate = 1.5 },
            new FallbackChainOptions { FailureThreshold = 0, MinThroughputPerSecond = double.PositiveInfinity, LatencySampleSize = 0, AlertAudience = "" },
            new FallbackChainOptions { RestorationRamp = [new(50, TimeSpan.FromMinutes(1)), new(40, TimeSpan.FromSeconds(-1))] },
        };
        foreach (var options in chains)
            AssertSame(options.Validate(), new FallbackChainOptionsValidator().Validate(null, options));

        var classifications = new[]
        {
            new FailureClassificationOptions(),
            new FailureClassificationOptions { LatencyWarning = TimeSpan.FromSeconds(3), ErrorRateWarning = -0.1, QueueDepthCritical = 10 },
        };
        foreach (var options in classifications)
            AssertSame(options.Validate(), new FailureClassificationOptionsValidator().Validate(null, options));
    }

    [Fact]
    public void Chain_options_a_host_binds_are_validated_when_read()
    {
        var services = new ServiceCollection();
        services.AddGracefulDegradation();
        services.Configure<FallbackChainOptions>(o => o.BreakDuration = TimeSpan.FromDays(60));
        services.Configure<FailureClassificationOptions>(o => o.LatencyCritical = TimeSpan.FromMilliseconds(100));
        using var provider = services.BuildServiceProvider();

        var chain = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IOptions<FallbackChainOptions>>().Value);
        Assert.Equal(["FallbackChainOptions:BreakDuration must be at most 49.17:02:47.2940000 (the longest timer delay) (was 60.00:00:00)."], chain.Failures);
        var classification = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IOptions<FailureClassificationOptions>>().Value);
        Assert.Equal(["FailureClassificationOptions:LatencyCritical (00:00:00.1000000) must not be below FailureClassificationOptions:LatencyWarning (00:00:00.5000000)."], classification.Failures);
    }

    private static void AssertSame(IReadOnlyList<string> core, ValidateOptionsResult hosting)
    {
        if (core.Count == 0) Assert.True(hosting.Succeeded, string.Join(Environment.NewLine, hosting.Failures ?? []));
        else Assert.Equal(core, hosting.Failures ?? [], StringComparer.Ordinal);
    }
}
