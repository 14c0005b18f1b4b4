using Microsoft.Extensions.Time.Testing;
using Degradation.Testing;

namespace Degradation.Tests.Features;

public class FeatureDegradationControllerTests
{
    private readonly FakeTimeProvider _time = new(FakeTimeProviderExtensions.TestStart);

    // The default degradation rules, completed for Emergency and Offline.
    [Theory]
    [InlineData(FeatureDegradationLevel.Normal, "analytics", FeatureState.Enabled)]
    [InlineData(FeatureDegradationLevel.Normal, "anything", FeatureState.Enabled)]
    [InlineData(FeatureDegradationLevel.DegradedL1, "authentication", FeatureState.Enabled)]
    [InlineData(FeatureDegradationLevel.DegradedL1, "core_write", FeatureState.Enabled)]
    [InlineData(FeatureDegradationLevel.DegradedL1, "response_quality", FeatureState.Reduced)]
    [InlineData(FeatureDegradationLevel.DegradedL1, "feature_richness", FeatureState.Reduced)]
    [InlineData(FeatureDegradationLevel.DegradedL1, "analytics", FeatureState.Disabled)]
    [InlineData(FeatureDegradationLevel.DegradedL1, "recommendations", FeatureState.Disabled)]
    [InlineData(FeatureDegradationLevel.DegradedL1, "search", FeatureState.Enabled)]
    [InlineData(FeatureDegradationLevel.DegradedL2, "core_read", FeatureState.Enabled)]
    [InlineData(FeatureDegradationLevel.DegradedL2, "core_write", FeatureState.Reduced)]
    [InlineData(FeatureDegradationLevel.DegradedL2, "search", FeatureState.Disabled)]
    [InlineData(FeatureDegradationLevel.DegradedL2, "notifications", FeatureState.Disabled)]
    [InlineData(FeatureDegradationLevel.Minimal, "authentication", FeatureState.Enabled)]
    [InlineData(FeatureDegradationLevel.Minimal, "core_read", FeatureState.Disabled)]
    [InlineData(FeatureDegradationLevel.Emergency, "authentication", FeatureState.Enabled)]
    [InlineData(FeatureDegradationLevel.Emergency, "anything", FeatureState.Disabled)]
    [InlineData(FeatureDegradationLevel.Offline, "authentication", FeatureState.Disabled)]
    public void Default_rules_per_level_and_feature(FeatureDegradationLevel level, string feature, FeatureState expected)
    {
        var controller = new FeatureDegradationController(timeProvider: _time);
        Assert.Equal(expected, controller.GetFeatureState(feature, level));
        controller.SetLevel(level, "test");
        Assert.Equal(expected, controller.GetFeatureState(feature));
        Assert.Equal(expected != FeatureState.Disabled, controller.IsFeatureAvailable(feature)); // reduced still counts as available
    }

    [Fact]
    public void Returning_to_a_milder_level_re_enables_what_the_harsher_one_disabled()
    {
        var controller = new FeatureDegradationController(timeProvider: _time);
        controller.SetLevel(FeatureDegradationLevel.DegradedL2, "db slow");
        Assert.False(controller.IsFeatureAvailable("search"));
        controller.SetLevel(FeatureDegradationLevel.DegradedL1, "db better");
        Assert.True(controller.IsFeatureAvailable("search"));
        controller.SetLevel(FeatureDegradationLevel.Normal, "recovered");
        Assert.True(controller.IsFeatureAvailable("analytics"));
        Assert.Equal([FeatureDegradationLevel.DegradedL2, FeatureDegradationLevel.DegradedL1, FeatureDegradationLevel.Normal], controller.GetHistory().Select(h => h.To));
    }

    [Fact]
    public void Custom_rules_replace_a_level()
    {
        var options = new FeatureDegradationOptions();
        options.Rules[FeatureDegradationLevel.DegradedL1] = FeatureLevelRule.Of(preserve: ["order_entry"], reduce: ["depth_of_book"], disableUnlisted: true);
        var controller = new FeatureDegradationController(options, _time);
        controller.SetLevel(FeatureDegradationLevel.DegradedL1, "feed lag");
        Assert.True(controller.IsFeatureAvailable("order_entry"));
        Assert.Equal(FeatureState.Reduced, controller.GetFeatureState("depth_of_book"));
        Assert.False(controller.IsFeatureAvailable("charts"));
        Assert.True(controller.DisablesUnlistedFeatures(FeatureDegradationLevel.DegradedL1));
    }

    [Fact]
    public void Level_changes_are_audited_and_alert_when_users_must_be_told()
    {
        var audit = new AuditTrail(_time);
        var router = new AlertRouter(timeProvider: _time);
        var controller = new FeatureDegradationController(timeProvider: _time, audit: audit, alerts: router);
        Assert.NotNull(controller.SetLevel(FeatureDegradationLevel.DegradedL1, "backup feed"));
        Assert.Equal(0, router.PublishedCount); // L1 needs no user notification
        Assert.Null(controller.SetLevel(FeatureDegradationLevel.DegradedL1, "again"));
        controller.SetLevel(FeatureDegradationLevel.Minimal, "db down", "erin");
        Assert.Equal(1, router.PublishedCount);
        controller.SetLevel(FeatureDegradationLevel.Normal, "all clear", "erin");
        Assert.Equal(2, router.PublishedCount); // leaving a notified level is announced too
        var entries = audit.GetEntries();
        Assert.Equal(3, entries.Count);
        Assert.All(entries, e => Assert.Equal(AuditEntryKind.Feature, e.Record.Kind));
        Assert.Equal(("DegradedL1", "Minimal", "erin", "db down"), (entries[1].Record.From, entries[1].Record.To, entries[1].Record.OperatorId, entries[1].Record.Reason));
    }

    [Fact]
    public void Fixed_facts_per_level()
    {
        Assert.Equal([1.0, 0.8, 0.5, 0.2, 0.1, 0.0], Enum.GetValues<FeatureDegradationLevel>().Select(FeatureLevels.Availability));
        Assert.Equal([false, false, true, true, true, true], Enum.GetValues<FeatureDegradationLevel>().Select(FeatureLevels.UserNotificationRequired));
        Assert.Equal("MODERATE", FeatureLevels.SlaImpact(FeatureDegradationLevel.DegradedL2));
        Assert.Equal("Some features temporarily limited", FeatureLevels.UserMessage(FeatureDegradationLevel.DegradedL2));
    }

    [Fact]
    public void Invalid_rules_are_rejected_naming_the_level_and_feature()
    {
        var options = new FeatureDegradationOptions();
        options.Rules[FeatureDegradationLevel.DegradedL1] = FeatureLevelRule.Of(preserve: ["search"], disable: ["search"]);
        options.Rules.Remove(FeatureDegradationLevel.Offline);
        var ex = Assert.Throws<DegradationOptionsException>(() => new FeatureDegradationController(options));
        Assert.Contains(ex.Failures, f => f.Contains("Rules:DegradedL1 lists feature 'search' in more than one"));
        Assert.Contains(ex.Failures, f => f.Contains("no rule for level Offline"));
        var controller = new FeatureDegradationController();
        Assert.Throws<ArgumentOutOfRangeException>(() => controller.SetLevel((FeatureDegradationLevel)9, "x"));
        Assert.Throws<ArgumentException>(() => controller.SetLevel(FeatureDegradationLevel.Minimal, " "));
    }
}
