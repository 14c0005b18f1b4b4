using System.Collections.Frozen;
using Degradation.Collections;

namespace Degradation.Features;

/// <summary>
/// Feature toggles per degradation level. The state of a feature is computed from the
/// current level's rule — never accumulated — so returning to a milder level re-enables what the harsher one
/// switched off, instead of leaving them disabled. <see cref="IsFeatureAvailable"/> is a lock-free dictionary
/// lookup. Level changes are recorded, audited and, when users must be told, raised as alerts. Thread-safe.
/// <para>
/// The level in force is the stricter of two: the <see cref="DerivedLevel"/> (what the trading mode and critical
/// failures call for, set by a <see cref="FeatureLevelDriver"/>; Normal when nothing drives it) and the
/// <see cref="ManualLevel"/> (<see cref="SetLevel"/>). A manual level can therefore only make things stricter. To go
/// milder than the derived level an operator must say so explicitly with <see cref="OverrideLevel"/>; such an override
/// replaces the derived level until <see cref="ClearOverride"/>, or until the derived level becomes stricter than it was
/// when the override started (a worse mode is never hidden by an older override).
/// </para>
/// </summary>
public sealed class FeatureDegradationController
{
    private readonly object _lock = new();
    private readonly TimeProvider _time;
    private readonly AuditWriter? _audit;
    private readonly AlertRouter? _alerts;
    private readonly CompiledRule[] _rules;
    private readonly BoundedHistory<FeatureLevelChange> _history;
    private int _level;
    private FeatureDegradationLevel _derived;
    private FeatureDegradationLevel _manual;
    private FeatureLevelOverride? _override;

    /// <summary>Creates a controller at <see cref="FeatureDegradationLevel.Normal"/>.</summary>
    /// <param name="options">The rules; the defaults when null.</param>
    /// <param name="timeProvider">Clock for the history; <see cref="TimeProvider.System"/> when null.</param>
    /// <param name="audit">When given, level changes are appended to it.</param>
    /// <param name="alerts">When given, a change to a level that requires notifying users raises an alert (audience operators).</param>
    /// <param name="historySize">Level changes kept (default 100).</param>
    /// <exception cref="DegradationOptionsException">A rule is invalid; the message names it.</exception>
    public FeatureDegradationController(FeatureDegradationOptions? options = null, TimeProvider? timeProvider = null,
        IAuditStore? audit = null, AlertRouter? alerts = null, int historySize = 100)
    {
        options ??= new FeatureDegradationOptions();
        options.ValidateAndThrow();
        if (historySize <= 0) throw new ArgumentOutOfRangeException(nameof(historySize), historySize, $"historySize must be > 0 (was {historySize}).");
        _time = timeProvider ?? TimeProvider.System;
        _audit = audit is null ? null : new AuditWriter(audit);
        _alerts = alerts;
        _history = new BoundedHistory<FeatureLevelChange>(historySize);
        var levels = Enum.GetValues<FeatureDegradationLevel>();
        _rules = new CompiledRule[levels.Length];
        foreach (var level in levels) _rules[(int)level] = CompiledRule.From(options.Rules[level]);
    }

    /// <summary>The level in force: the stricter of <see cref="ManualLevel"/> and the override's level, or of <see cref="ManualLevel"/> and <see cref="DerivedLevel"/> without one.</summary>
    public FeatureDegradationLevel Level => (FeatureDegradationLevel)Volatile.Read(ref _level);

    /// <summary>The level the mode and critical failures call for (Normal when no <see cref="FeatureLevelDriver"/> drives it).</summary>
    public FeatureDegradationLevel DerivedLevel { get { lock (_lock) return _derived; } }

    /// <summary>The level last set with <see cref="SetLevel"/> (a floor: it can only make the level stricter).</summary>
    public FeatureDegradationLevel ManualLevel { get { lock (_lock) return _manual; } }

    /// <summary>The operator's explicit override of the derived level, or null.</summary>
    public FeatureLevelOverride? ActiveOverride { get { lock (_lock) return _override; } }

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

    /// <summary>
    /// Sets the manual level: the level in force becomes the stricter of it and the derived level (or the override), so a
    /// manual level milder than the derived one takes effect only once the mode allows it. Changes of the level in force
    /// are recorded and audited, and alert when users must be told; a manual level that changes nothing in force is
    /// audited as <c>feature.manual_level_set</c>.
    /// </summary>
    /// <returns>The change of the level in force, or null when it did not change.</returns>
    /// <exception cref="ArgumentOutOfRangeException">Unknown level.</exception>
    /// <exception cref="ArgumentException">Empty reason.</exception>
    public FeatureLevelChange? SetLevel(FeatureDegradationLevel level, string reason, string? operatorId = null)
    {
        CheckLevel(level);
        ArgumentException.ThrowIfNullOrWhiteSpace(reason);
        lock (_lock)
        {
            var previous = _manual;
            if (previous == level) return null;
            _manual = level;
            var change = Apply(reason, operatorId);
            if (change is null)
                Audit("feature.manual_level_set", operatorId, previous.ToString(), level.ToString(),
                    $"{reason} (level in force stays {Level})");
            return change;
        }
    }

    /// <summary>
    /// Overrides the derived level with <paramref name="level"/>, which may be milder: the explicit, audited way for an
    /// operator to keep features the mode would switch off. The manual level still applies on top. The override ends with
    /// <see cref="ClearOverride"/> or as soon as the derived level becomes stricter than it is now.
    /// </summary>
    /// <returns>The change of the level in force, or null when it did not change.</returns>
    /// <exception cref="ArgumentOutOfRangeException">Unknown level.</exception>
    /// <exception cref="ArgumentException">Empty reason or operator id (an override always names who made it).</exception>
    public FeatureLevelChange? OverrideLevel(FeatureDegradationLevel level, string reason, string operatorId)
    {
        CheckLevel(level);
        ArgumentException.ThrowIfNullOrWhiteSpace(reason);
        ArgumentException.ThrowIfNullOrWhiteSpace(operatorId);
        lock (_lock)
        {
            _override = new FeatureLevelOverride(level, _derived, operatorId, reason, _time.GetUtcNow());
            Audit("feature.level_override", operatorId, _derived.ToString(), level.ToString(), reason);
            return Apply(reason, operatorId);
        }
    }

    /// <summary>Ends the operator's override: the derived level applies again (audited).</summary>
    /// <returns>The change of the level in force, or null when it did not change (or there was no override).</returns>
    /// <exception cref="ArgumentException">Empty reason.</exception>
    public FeatureLevelChange? ClearOverride(string reason, string? operatorId = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(reason);
        lock (_lock)
        {
            if (_override is not { } active) return null;
            _override = null;
            Audit("feature.override_cleared", operatorId, active.Level.ToString(), _derived.ToString(), reason);
            return Apply(reason, operatorId);
        }
    }

    /// <summary>Sets the derived level (the <see cref="FeatureLevelDriver"/>'s entry point); ends an override the derived level now exceeds.</summary>
    internal FeatureLevelChange? ApplyDerivedLevel(FeatureDegradationLevel level, string reason)
    {
        lock (_lock)
        {
            if (_derived == level) return null;
            _derived = level;
            if (_override is { } active && level > active.DerivedAtStart)
            {
                _override = null;
                Audit("feature.override_ended", null, active.Level.ToString(), level.ToString(),
                    $"{reason}: stricter than when {active.OperatorId} overrode it ({active.DerivedAtStart})");
            }
            return Apply(reason, null);
        }
    }

    private FeatureLevelChange? Apply(string reason, string? operatorId)
    {
        var from = Level;
        var governing = _override?.Level ?? _derived;
        var level = governing > _manual ? governing : _manual;
        if (from == level) return null;
        var change = new FeatureLevelChange(from, level, reason, operatorId, _time.GetUtcNow());
        _history.Add(change);
        Volatile.Write(ref _level, (int)level);
        Audit("feature.level_changed", operatorId, from.ToString(), level.ToString(), reason, change.WallTime);
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

    /// <summary>Audit records the controller's <see cref="IAuditStore"/> failed or refused.</summary>
    public long AuditFailures => _audit?.Failures ?? 0;

    /// <summary>Completes when every audit record so far has been handled by the store.</summary>
    internal Task FlushAuditAsync(CancellationToken cancellationToken = default) => _audit?.FlushAsync(cancellationToken) ?? Task.CompletedTask;

    private void Audit(string action, string? operatorId, string from, string to, string reason, DateTimeOffset? wallTime = null) =>
        _audit?.Write(new AuditRecord
        {
            Kind = AuditEntryKind.Feature, Action = action, Component = "features", OperatorId = operatorId,
            From = from, To = to, Reason = reason, WallTime = wallTime ?? _time.GetUtcNow(),
        });

    private static void CheckLevel(FeatureDegradationLevel level)
    {
        if (!Enum.IsDefined(level)) throw new ArgumentOutOfRangeException(nameof(level), level, $"Unknown feature degradation level '{(int)level}'.");
    }

    /// <summary>Follows <paramref name="system"/>: the mode and critical failures drive <see cref="DerivedLevel"/> (see <see cref="FeatureLevelDriver"/>).</summary>
    /// <returns>The driver; dispose it to stop following.</returns>
    public FeatureLevelDriver FollowMode(DegradationSystem system, FeatureLevelOptions? options = null) => new(this, system, options);

    /// <summary>The retained level changes, oldest first.</summary>
    public IReadOnlyList<FeatureLevelChange> GetHistory()
    {
        lock (_lock) return _history.ToArray();
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
