using System.Globalization;
using Degradation.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Xunit.Abstractions;

namespace Degradation.Tests.Options;

/// <summary>
/// How the <c>Degradation</c> section is read: nested sections, durations as time spans (plain numbers refused), modes
/// and actions in either spelling, old keys refused naming their replacement, every error naming its key path.
/// </summary>
public sealed class ConfigurationBindingTests(ITestOutputHelper output)
{
    [Fact]
    public async Task Nested_sections_bind_durations_written_as_time_spans()
    {
        var options = await BindAsync("""
        {"Degradation":{
          "Probes":{"FailThresholdCount":4,"FailThresholdDuration":"00:00:07","BrokerTimeout":"00:00:01.500"},
          "Recovery":{"StablePeriod":"00:00:02","StageTimeout":"00:01:00","BackoffSchedule":["00:00:10","00:00:20"]},
          "SafeMode":{"MinDwell":"00:00:45"},
          "Buffer":{"MaxEntries":5000,"MaxAge":"00:10:00"},
          "Operator":{"MaxOverrideTtl":"1.00:00:00"},
          "StateMachine":{"TickInterval":"00:00:00.250"},
          "Components":{"orderbook_ws":{"StatusTtl":"00:00:15"}}
        }}
        """);
        Assert.Equal(4, options.Probes.FailThresholdCount);
        Assert.Equal(TimeSpan.FromSeconds(7), options.Probes.FailThresholdDuration);
        Assert.Equal(TimeSpan.FromMilliseconds(1500), options.Probes.BrokerTimeout);
        Assert.Equal(TimeSpan.FromSeconds(2), options.Recovery.StablePeriod);
        Assert.Equal(TimeSpan.FromMinutes(1), options.Recovery.StageTimeout);
        Assert.Equal([TimeSpan.FromSeconds(10), TimeSpan.FromSeconds(20)], options.Recovery.BackoffSchedule);
        Assert.Equal(TimeSpan.FromSeconds(45), options.SafeMode.MinDwell);
        Assert.Equal(5000, options.Buffer.MaxEntries);
        Assert.Equal(TimeSpan.FromMinutes(10), options.Buffer.MaxAge);
        Assert.Equal(TimeSpan.FromDays(1), options.Operator.MaxOverrideTtl);
        Assert.Equal(TimeSpan.FromMilliseconds(250), options.StateMachine.TickInterval);
        Assert.Equal(TimeSpan.FromSeconds(15), options.Components["orderbook_ws"].StatusTtl);
        Assert.Equal(3, options.Probes.RiskTimeoutConsecutiveCount); // untouched keys keep their defaults
    }

    [Theory]
    [InlineData("""{"Degradation":{"Recovery":{"StageTimeout":30}}}""", "Degradation:Recovery:StageTimeout", "'30'")]
    [InlineData("""{"Degradation":{"SafeMode":{"MinDwell":"45"}}}""", "Degradation:SafeMode:MinDwell", "'45'")]
    [InlineData("""{"Degradation":{"Probes":{"BrokerTimeout":1.5}}}""", "Degradation:Probes:BrokerTimeout", "'1.5'")]
    [InlineData("""{"Degradation":{"Recovery":{"BackoffSchedule":["00:00:10",20]}}}""", "Degradation:Recovery:BackoffSchedule:1", "'20'")]
    [InlineData("""{"Degradation":{"Components":{"news":{"StatusTtl":15}}}}""", "Degradation:Components:news:StatusTtl", "'15'")]
    public async Task A_plain_number_for_a_duration_stops_the_host_instead_of_meaning_days(string json, string key, string value)
    {
        var error = await StartFailsAsync(json);
        var message = Assert.Single(error.Failures);
        Assert.StartsWith(key + " ", message, StringComparison.Ordinal);
        Assert.Contains(value, message, StringComparison.Ordinal);
        Assert.Contains("\"00:00:30\"", message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("RecoveryStableSeconds", "10", "Degradation:Recovery:StablePeriod")]
    [InlineData("MinSafeModeSeconds", "30", "Degradation:SafeMode:MinDwell")]
    [InlineData("FailThresholdSeconds", "5", "Degradation:Probes:FailThresholdDuration")]
    [InlineData("BrokerTimeoutMs", "5000", "Degradation:Probes:BrokerTimeout")]
    [InlineData("TickIntervalMs", "100", "Degradation:StateMachine:TickInterval")]
    [InlineData("DbBufferMaxEntries", "1000", "Degradation:Buffer:MaxEntries")]
    [InlineData("maxoverrideseconds", "60", "Degradation:Operator:MaxOverrideTtl")]
    [InlineData("AlertOnUnstable", "false", "Degradation:Alerts:OnUnstable")]
    public async Task An_old_key_stops_the_host_naming_its_replacement(string oldKey, string value, string replacement)
    {
        var error = await StartFailsAsync($$$"""{"Degradation":{"{{{oldKey}}}":{{{value}}}}}""");
        var message = Assert.Single(error.Failures);
        Assert.Contains($"Degradation:{oldKey}", message, StringComparison.Ordinal);
        Assert.Contains(replacement, message, StringComparison.Ordinal);
    }

    [Fact]
    public void Every_replacement_named_for_an_old_key_exists()
    {
        foreach (var (old, replacement) in LegacyOptionKeys.TopLevel)
        {
            var parts = replacement.Split(':');
            var section = typeof(DegradationOptions).GetProperty(parts[0]);
            Assert.True(section is not null, $"{old} -> {replacement}: no section {parts[0]}");
            Assert.True(section.PropertyType.GetProperty(parts[1]) is not null, $"{old} -> {replacement}: no option {parts[1]}");
        }
        foreach (var (old, replacement) in LegacyOptionKeys.Component)
            Assert.True(typeof(ComponentOptions).GetProperty(replacement) is not null, $"{old} -> {replacement}");
    }

    [Theory]
    [InlineData("""{"Degradation":{"MustDeliverBreaksOverride":false}}""", "Degradation:MustDeliverBreaksOverride", "removed")]
    [InlineData("""{"Degradation":{"DbWalEnabled":true}}""", "Degradation:DbWalEnabled", "removed")]
    [InlineData("""{"Degradation":{"Components":{"news":{"StatusTtlSeconds":15}}}}""", "Degradation:Components:news:StatusTtlSeconds", "Degradation:Components:news:StatusTtl")]
    [InlineData("""{"Degradation":{"Recovery":{"StageTimeoutMs":100}}}""", "Degradation:Recovery:StageTimeoutMs", "StageTimeout")]
    [InlineData("""{"Degradation":{"Recover":{"StageTimeout":"00:00:10"}}}""", "Degradation:Recover", "Recovery")]
    public async Task Removed_misspelled_and_unknown_keys_stop_the_host_naming_them(string json, string key, string hint)
    {
        var error = await StartFailsAsync(json);
        var message = Assert.Single(error.Failures);
        Assert.StartsWith(key + " ", message, StringComparison.Ordinal);
        Assert.Contains(hint, message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("safe_mode")]
    [InlineData("SafeMode")]
    [InlineData("SAFE_MODE")]
    [InlineData("safemode")]
    public async Task Modes_and_actions_are_accepted_in_either_spelling_as_values_and_keys(string spelling)
    {
        var action = spelling == spelling.ToUpperInvariant() ? "REDUCE_ONLY" : spelling.Contains('_', StringComparison.Ordinal) ? "reduce_only" : "ReduceOnly";
        var options = await BindAsync($$$"""
        {"Degradation":{
          "DecisionMatrix":{"venue.throttled":"{{{spelling}}}"},
          "TradingLimits":{"{{{spelling}}}":{"MaxOrderQuantity":5}},
          "DeniedActions":{"{{{spelling}}}":["{{{action}}}"]}
        }}
        """);
        Assert.Equal(SystemMode.SafeMode, options.DecisionMatrix["venue.throttled"]);
        Assert.Equal(5m, options.TradingLimits[SystemMode.SafeMode].MaxOrderQuantity);
        Assert.Equal([ActionType.ReduceOnly], options.DeniedActions[SystemMode.SafeMode]);
    }

    [Theory]
    [InlineData("""{"Degradation":{"DecisionMatrix":{"venue.throttled":"safe-mode"}}}""", "Degradation:DecisionMatrix:venue.throttled", "'safe-mode'")]
    [InlineData("""{"Degradation":{"DecisionMatrix":{"venue.throttled":"3"}}}""", "Degradation:DecisionMatrix:venue.throttled", "'3'")]
    [InlineData("""{"Degradation":{"TradingLimits":{"degradd":{"MaxOrderQuantity":5}}}}""", "Degradation:TradingLimits:degradd", "'degradd'")]
    [InlineData("""{"Degradation":{"DeniedActions":{"degraded":["opne"]}}}""", "Degradation:DeniedActions:degraded:0", "'opne'")]
    public async Task An_unknown_mode_or_action_stops_the_host_listing_the_valid_names(string json, string key, string value)
    {
        var error = await StartFailsAsync(json);
        var message = Assert.Single(error.Failures);
        Assert.StartsWith(key + " ", message, StringComparison.Ordinal);
        Assert.Contains(value, message, StringComparison.Ordinal);
        Assert.Contains(key.Contains("DeniedActions", StringComparison.Ordinal) ? "reduce_only" : "safe_mode_disconnected", message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("normal")]
    [InlineData("Normal")]
    [InlineData("NORMAL")]
    public async Task Loosening_a_built_in_rule_is_refused_whatever_the_spelling(string spelling)
    {
        var error = await StartFailsAsync("""{"Degradation":{"DecisionMatrix":{"broker.disconnect":""" + $"\"{spelling}\"" + "}}}");
        Assert.Contains("Degradation:DecisionMatrix:broker.disconnect", Assert.Single(error.Failures), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Every_problem_is_reported_at_once()
    {
        var error = await StartFailsAsync("""
        {"Degradation":{"RecoveryStableSeconds":1,"SafeMode":{"MinDwell":30},"DecisionMatrix":{"x.y":"panic"}}}
        """);
        Assert.Equal(3, error.Failures.Count());
    }

    [Fact]
    public async Task Values_that_bind_but_break_a_rule_name_the_key_path_and_the_value()
    {
        var error = await StartFailsAsync("""
        {"Degradation":{"Recovery":{"StageTimeout":"00:00:00","BackoffBase":"00:00:05","BackoffMax":"00:00:01"},"Buffer":{"MaxEntries":0}}}
        """);
        Assert.Equal(
            [
                "Degradation:Recovery:StageTimeout must be > 0 (was 00:00:00).",
                "Degradation:Recovery:BackoffMax (00:00:01) must not be below Degradation:Recovery:BackoffBase (00:00:05).",
                "Degradation:Buffer:MaxEntries must be >= 1 (was 0).",
            ],
            error.Failures);
    }

    [Fact]
    public void The_generated_validators_and_Create_report_the_same_errors()
    {
        var seed = int.TryParse(Environment.GetEnvironmentVariable("DEGRADATION_TEST_SEED"), NumberStyles.Integer, CultureInfo.InvariantCulture, out var s) ? s : 20_261_130;
        output.WriteLine($"seed {seed} (set DEGRADATION_TEST_SEED to replay)");
        var random = new Random(seed);
        var validator = new DegradationOptionsValidator(DegradationOptions.SectionName);
        var mutations = BadValueMutations();
        for (var i = 0; i < 300; i++)
        {
            var options = new DegradationOptions();
            var applied = new List<string>();
            for (var k = random.Next(0, 5); k > 0; k--)
            {
                var (name, mutate) = mutations[random.Next(mutations.Count)];
                mutate(options);
                applied.Add(name);
            }
            var core = options.Validate();
            var hosting = validator.Validate(null, options);
            var context = $"seed {seed}, case {i}: {string.Join(", ", applied)}";
            if (core.Count == 0) Assert.True(hosting.Succeeded, context);
            else Assert.Equal(core, hosting.Failures ?? [], StringComparer.Ordinal);
        }
    }

    [Fact]
    public void Every_section_of_the_options_is_validated_by_the_host()
    {
        // A section with a rule the hosting validator forgot would pass at start and fail only at Create.
        var validator = new DegradationOptionsValidator(DegradationOptions.SectionName);
        foreach (var (name, mutate) in BadValueMutations())
        {
            var options = new DegradationOptions();
            mutate(options);
            Assert.False(validator.Validate(null, options).Succeeded, name);
        }
    }

    private static List<(string Name, Action<DegradationOptions> Mutate)> BadValueMutations() =>
    [
        ("Probes.FailThresholdCount", o => o.Probes.FailThresholdCount = 0),
        ("Probes.FailThresholdDuration", o => o.Probes.FailThresholdDuration = TimeSpan.FromSeconds(-1)),
        ("Probes.RiskTimeoutConsecutiveCount", o => o.Probes.RiskTimeoutConsecutiveCount = -2),
        ("Probes.BrokerTimeout", o => o.Probes.BrokerTimeout = TimeSpan.Zero),
        ("Probes.MarketDataStaleAfter", o => o.Probes.MarketDataStaleAfter = TimeSpan.MaxValue),
        ("Probes.RiskTimeout", o => o.Probes.RiskTimeout = TimeSpan.FromMilliseconds(-1)),
        ("Probes.DbTimeout", o => o.Probes.DbTimeout = TimeSpan.Zero),
        ("Status.ComponentTtl", o => o.Status.ComponentTtl = TimeSpan.Zero),
        ("Status.NeverReportedWarning", o => o.Status.NeverReportedWarning = TimeSpan.FromDays(-1)),
        ("Recovery.StablePeriod", o => o.Recovery.StablePeriod = TimeSpan.FromSeconds(-1)),
        ("Recovery.StageTimeout", o => o.Recovery.StageTimeout = TimeSpan.Zero),
        ("Recovery.MaxAttempts", o => o.Recovery.MaxAttempts = 0),
        ("Recovery.BackoffBase", o => o.Recovery.BackoffBase = TimeSpan.Zero),
        ("Recovery.BackoffMax<Base", o => { o.Recovery.BackoffBase = TimeSpan.FromSeconds(9); o.Recovery.BackoffMax = TimeSpan.FromSeconds(2); }),
        ("Recovery.BackoffSchedule", o => o.Recovery.BackoffSchedule = [TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(-1)]),
        ("SafeMode.MinDwell", o => o.SafeMode.MinDwell = TimeSpan.FromDays(4000)),
        ("Fallbacks.RefreshInterval", o => o.Fallbacks.RefreshInterval = TimeSpan.Zero),
        ("Buffer.MaxEntries", o => o.Buffer.MaxEntries = -1),
        ("Buffer.MaxBytes", o => o.Buffer.MaxBytes = 0),
        ("Buffer.MaxAge", o => o.Buffer.MaxAge = TimeSpan.Zero),
        ("EventBus.QueueSize", o => o.EventBus.QueueSize = 0),
        ("Caches.PositionStaleAfter", o => o.Caches.PositionStaleAfter = TimeSpan.Zero),
        ("Caches.MarketDataStaleAfter", o => o.Caches.MarketDataStaleAfter = TimeSpan.FromSeconds(-3)),
        ("Operator.MinOverrideTtl", o => o.Operator.MinOverrideTtl = TimeSpan.Zero),
        ("Operator.MaxOverrideTtl<Min", o => { o.Operator.MinOverrideTtl = TimeSpan.FromMinutes(5); o.Operator.MaxOverrideTtl = TimeSpan.FromMinutes(1); }),
        ("Operator.KillSwitchActionTimeout", o => o.Operator.KillSwitchActionTimeout = TimeSpan.Zero),
        ("StateMachine.TransitionHistorySize", o => o.StateMachine.TransitionHistorySize = 0),
        ("StateMachine.TickInterval", o => o.StateMachine.TickInterval = TimeSpan.Zero),
        ("DecisionMatrix loosening", o => o.DecisionMatrix["broker.disconnect"] = SystemMode.Normal),
        ("DecisionMatrix unknown mode", o => o.DecisionMatrix["x.y"] = (SystemMode)42),
        ("Components ttl", o => o.Components["news"] = new ComponentOptions { StatusTtl = TimeSpan.Zero }),
        ("TradingLimits quantity", o => o.TradingLimits[SystemMode.Degraded] = new TradingLimits { MaxOrderQuantity = -1 }),
        ("DeniedActions unknown action", o => o.DeniedActions[SystemMode.Degraded] = [(ActionType)77]),
        ("FeatureLevels.CriticalFailureLevel", o => o.FeatureLevels.CriticalFailureLevel = (FeatureDegradationLevel)42),
        ("FeatureLevels.ModeLevels milder", o => o.FeatureLevels.ModeLevels[SystemMode.Halt] = FeatureDegradationLevel.Normal),
        ("FeatureLevels.ModeLevels missing", o => o.FeatureLevels.ModeLevels.Remove(SystemMode.Recovering)),
        ("AlertChannels.HistorySize", o => o.AlertChannels.HistorySize = 0),
        ("AlertChannels.Routes channel", o => o.AlertChannels.Routes.Add(new AlertChannelRoute { Channel = " " })),
        ("AlertChannels.AcknowledgementSla", o => o.AlertChannels.AcknowledgementSla[Severity.Warning] = TimeSpan.Zero),
        ("AlertChannels.EscalationChannel", o => o.AlertChannels.EscalationChannel = ""),
    ];

    private static async Task<DegradationOptions> BindAsync(string json)
    {
        var builder = TestHosts.Builder(json);
        builder.Services.AddGracefulDegradation(builder.Configuration.GetSection(DegradationOptions.SectionName));
        using var host = builder.Build();
        await host.StartAsync();
        try
        {
            return host.Services.GetRequiredService<IOptions<DegradationOptions>>().Value;
        }
        finally
        {
            await host.StopAsync();
        }
    }

    private static async Task<OptionsValidationException> StartFailsAsync(string json)
    {
        var builder = TestHosts.Builder(json);
        builder.Services.AddGracefulDegradation(builder.Configuration.GetSection(DegradationOptions.SectionName));
        using var host = builder.Build();
        return await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync());
    }
}
