using System.Globalization;

namespace Degradation.Features;

/// <summary>
/// The preserve / reduce / disable rule of every <see cref="FeatureDegradationLevel"/>. Defaults are the standard
/// table (authentication, core_read, core_write, response_quality, feature_richness, analytics,
/// recommendations, search, notifications), completed for the levels that have no standard rule:
/// Emergency keeps only authentication and Offline disables everything.
/// </summary>
public sealed class FeatureDegradationOptions
{
    /// <summary>The rule of each level; every level needs one.</summary>
    public Dictionary<FeatureDegradationLevel, FeatureLevelRule> Rules { get; set; } = CreateDefaultRules();

    /// <summary>The default rules (see the class summary).</summary>
    public static Dictionary<FeatureDegradationLevel, FeatureLevelRule> CreateDefaultRules() => new()
    {
        [FeatureDegradationLevel.Normal] = FeatureLevelRule.Of(),
        [FeatureDegradationLevel.DegradedL1] = FeatureLevelRule.Of(
            preserve: ["authentication", "core_read", "core_write"],
            reduce: ["response_quality", "feature_richness"],
            disable: ["analytics", "recommendations"]),
        [FeatureDegradationLevel.DegradedL2] = FeatureLevelRule.Of(
            preserve: ["authentication", "core_read"],
            reduce: ["core_write"],
            disable: ["analytics", "recommendations", "search", "notifications"]),
        [FeatureDegradationLevel.Minimal] = FeatureLevelRule.Of(preserve: ["authentication"], disableUnlisted: true),
        [FeatureDegradationLevel.Emergency] = FeatureLevelRule.Of(preserve: ["authentication"], disableUnlisted: true),
        [FeatureDegradationLevel.Offline] = FeatureLevelRule.Of(disableUnlisted: true),
    };

    /// <summary>Checks every value and returns one message per invalid option (empty when valid).</summary>
    public IReadOnlyList<string> Validate()
    {
        var errors = new List<string>();
        if (Rules is null) return [$"{nameof(Rules)} must not be null."];
        foreach (var level in Enum.GetValues<FeatureDegradationLevel>())
            if (!Rules.ContainsKey(level)) errors.Add($"{nameof(Rules)} has no rule for level {level}.");
        foreach (var (level, rule) in Rules)
        {
            if (!Enum.IsDefined(level)) { errors.Add($"{nameof(Rules)} has unknown level '{((int)level).ToString(CultureInfo.InvariantCulture)}'."); continue; }
            if (rule is null) { errors.Add($"{nameof(Rules)}:{level} is null."); continue; }
            var lists = new[] { (nameof(rule.Preserve), rule.Preserve), (nameof(rule.Reduce), rule.Reduce), (nameof(rule.Disable), rule.Disable) };
            foreach (var (name, set) in lists)
            {
                if (set is null) errors.Add($"{nameof(Rules)}:{level}:{name} must not be null.");
                else if (set.Any(string.IsNullOrWhiteSpace)) errors.Add($"{nameof(Rules)}:{level}:{name} has an empty feature name.");
            }
            if (lists.Any(l => l.Item2 is null)) continue;
            foreach (var feature in rule.Preserve.Intersect(rule.Reduce).Concat(rule.Preserve.Intersect(rule.Disable)).Concat(rule.Reduce.Intersect(rule.Disable)).Distinct())
                errors.Add($"{nameof(Rules)}:{level} lists feature '{feature}' in more than one of Preserve, Reduce and Disable.");
        }
        return errors;
    }

    /// <summary>Throws <see cref="DegradationOptionsException"/> naming every invalid option.</summary>
    public void ValidateAndThrow()
    {
        var errors = Validate();
        if (errors.Count > 0) throw new DegradationOptionsException(errors);
    }
}
