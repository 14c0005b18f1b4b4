using System.Collections.Frozen;

namespace Degradation.Features;

/// <summary>
/// Feature toggles per degradation level. The state of a feature is computed from the
/// current level's rule — never accumulated — so returning to a milder level re-enables what the harsher one
/// switched off, instead of leaving them disabled. <see cref="IsFeatureAvailable"/> is a lock-free dictionary
/// lookup. Level changes are recorded, audited and, when users must be told, raised as alerts. Thread-safe.
/// </summary>
public sealed class FeatureDegradationController
{
    private readonly object _lock = new();
    private readonly TimeProvider _time;
    private readonly AuditTrail? _audit;
    private readonly AlertRouter? _alerts;
    private readonly CompiledRule[] _rules;
    private readonly List<FeatureLevelChange> _history = [];
    private readonly int _historySize;
    private int _level;

    /// <summary>Creates a controller at <see cref="FeatureDegradationLevel.Normal"/>.</summary>
    /// <param name="options">The rules; the defaults when null.</param>
    /// <param name="timeProvider">Clock for the history; <see cref="TimeProvider.System"/> when null.</param>
    /// <param name="audit">When given, level changes are appended to it.</param>
    /// <param name="alerts">When given, a change to a level that requires notifying users raises an alert (audience operators).</param>
    /// <param name="historySize">Level changes kept (default 100).</param>
    /// <exception cref="DegradationOptionsException">A rule is invalid; the message names it.</exception>
    public FeatureDegradationController(FeatureDegradationOptions? options = null, TimeProvider? timeProvider = null,
        AuditTrail? audit = null, AlertRouter? alerts = null, int historySize = 100)
    {
        options ??= new FeatureDegradationOptions();
        options.ValidateAndThrow();
        if (historySize <= 0) throw new ArgumentOutOfRangeException(nameof(historySize), historySize, $"historySize must be > 0 (was {historySize}).");
        _time = timeProvider ?? TimeProvider.System;
        _audit = audit;
        _alerts = alerts;
        _historySize = historySize;
        var levels = Enum.GetValues<FeatureDegradationLevel>();
        _rules = new CompiledRule[levels.Length];
        foreach (var level in levels) _rules[(int)level] = CompiledRule.From(options.Rules[level]);
    }

    /// <summary>The current level.</summary>
    public FeatureDegradationLevel Level => (FeatureDegradationLevel)Volatile.Read(ref _level);

    /// <summary>True when <paramref name="feature"/> is enabled or reduced at the current level.</summary>
    public bool IsFeatureAvailable(string feature) => GetFeatureState(feature) != FeatureState.Disabled;

    /// <summary>The state of <paramref name="feature"/> at the current level.</summary>
    public FeatureState GetFeatureState(string feature) => GetFeatureState(feature, Level);

    /// <summary>The state of <paramref name="feature"/> at <paramref name="level"/>.</summary>
    /// <exception cref="ArgumentNullException"><paramref name="feature"/> is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException">Unknown level.</exception>
    public FeatureState GetFeatureState(string feature, FeatureDegradationLevel level)
    {
        ArgumentNullException.ThrowIfNull(feature);
        if ((uint)level >= (uint)_rules.Length)
            throw new ArgumentOutOfRangeException(nameof(level), level, $"Unknown feature degradation level '{(int)level}'.");
        var rule = _rules[(int)level];
        if (rule.Listed.TryGetValue(feature, out var state)) return state;
        return rule.DisableUnlisted ? FeatureState.Disabled : FeatureState.Enabled;
    }

    /// <summary>The features the rule of <paramref name="level"/> names, with their states.</summary>
    public IReadOnlyDictionary<string, FeatureState> GetListedFeatures(FeatureDegradationLevel level) => _rules[(int)level].Listed;

    /// <summary>True when <paramref name="level"/> disables every feature its rule does not list.</summary>
    public bool DisablesUnlistedFeatures(FeatureDegradationLevel level) => _rules[(int)level].DisableUnlisted;

    /// <summary>Sets the level (recorded and audited; alerts when users must be told).</summary>
    /// <returns>The change, or null when the level was already <paramref name="level"/>.</returns>
    /// <exception cref="ArgumentOutOfRangeException">Unknown level.</exception>
    /// <exception cref="ArgumentException">Empty reason.</exception>
    public FeatureLevelChange? SetLevel(FeatureDegradationLevel level, string reason, string? operatorId = null)
    {
        if (!Enum.IsDefined(level)) throw new ArgumentOutOfRangeException(nameof(level), level, $"Unknown feature degradation level '{(int)level}'.");
        ArgumentException.ThrowIfNullOrWhiteSpace(reason);
        lock (_lock)
        {
            var from = Level;
            if (from == level) return null;
            var change = new FeatureLevelChange(from, level, reason, operatorId, _time.GetUtcNow());
            _history.Add(change);
            if (_history.Count > _historySize) _history.RemoveAt(0);
            Volatile.Write(ref _level, (int)level);
            _audit?.Append(AuditEntryKind.Feature, "feature.level_changed", "features", operatorId, from.ToString(), level.ToString(), reason, wallTime: change.WallTime);
            if (_alerts is not null && (FeatureLevels.UserNotificationRequired(level) || FeatureLevels.UserNotificationRequired(from)))
            {
                _alerts.Publish(new Alert
                {
                    Severity = level > from ? (level >= FeatureDegradationLevel.Emergency ? Severity.Critical : Severity.Warning) : Severity.Info,
                    Audience = AlertAudiences.Operators,
                    Title = $"Feature level {from} -> {level}",
                    Message = $"{reason}. {FeatureLevels.UserMessage(level)} (SLA impact {FeatureLevels.SlaImpact(level)})".TrimEnd(),
                    Time = change.WallTime,
                });
            }
            return change;
        }
    }

    /// <summary>The retained level changes, oldest first.</summary>
    public IReadOnlyList<FeatureLevelChange> GetHistory()
    {
        lock (_lock) return [.. _history];
    }

    private sealed record CompiledRule(FrozenDictionary<string, FeatureState> Listed, bool DisableUnlisted)
    {
        public static CompiledRule From(FeatureLevelRule rule)
        {
            var listed = new Dictionary<string, FeatureState>(StringComparer.Ordinal);
            foreach (var feature in rule.Disable) listed[feature] = FeatureState.Disabled;
            foreach (var feature in rule.Reduce) listed[feature] = FeatureState.Reduced;
            foreach (var feature in rule.Preserve) listed[feature] = FeatureState.Enabled;
            return new CompiledRule(listed.ToFrozenDictionary(StringComparer.Ordinal), rule.DisableUnlisted);
        }
    }
}
