namespace Degradation;

/// <summary>
/// The rules of <see cref="DegradationOptions"/> that span more than one value: missing sections, the decision matrix
/// (no loosening without <see cref="DegradationOptions.AllowLoosening"/>), the component registry, per-mode limits and
/// denied actions. Each message starts with the full key path and names the bad value; enum errors list the valid values.
/// </summary>
internal static class DegradationOptionsRules
{
    public static List<string> Check(DegradationOptions options, string prefix)
    {
        var errors = new List<string>();
        foreach (var (name, section) in options.Sections())
            if (section is null) errors.Add($"{prefix}{name} must not be null.");

        NotNull(errors, prefix, nameof(DegradationOptions.DecisionMatrix), options.DecisionMatrix);
        NotNull(errors, prefix, nameof(DegradationOptions.AllowLoosening), options.AllowLoosening);
        NotNull(errors, prefix, nameof(DegradationOptions.MustDeliverReasons), options.MustDeliverReasons);
        NotNull(errors, prefix, nameof(DegradationOptions.Components), options.Components);
        NotNull(errors, prefix, nameof(DegradationOptions.TradingLimits), options.TradingLimits);
        NotNull(errors, prefix, nameof(DegradationOptions.DeniedActions), options.DeniedActions);

        var matrix = prefix + nameof(DegradationOptions.DecisionMatrix);
        foreach (var (reason, mode) in Entries(options.DecisionMatrix))
        {
            if (string.IsNullOrWhiteSpace(reason))
                errors.Add($"{matrix} has an empty reason code.");
            else if (!Enum.IsDefined(mode))
                errors.Add($"{matrix}:{reason} has unknown mode '{OptionsKey.Format((int)mode)}'; valid modes: {WireNames.ValidModes}.");
            else if (DefaultDecisionMatrix.ControlReasons.Contains(reason))
                errors.Add($"{matrix}:{reason} is a control reason and cannot be remapped.");
            else if (DefaultDecisionMatrix.Entries.TryGetValue(reason, out var builtIn)
                     && ModeTransition.Restrictiveness(mode) < ModeTransition.Restrictiveness(builtIn)
                     && !(options.AllowLoosening?.Contains(reason) ?? false))
                errors.Add($"{matrix}:{reason} maps a built-in reason to {mode}, less strict than its built-in {builtIn}; "
                    + $"to accept that on purpose list '{reason}' in {prefix}{nameof(DegradationOptions.AllowLoosening)} (it is then logged at Warning on every start).");
            else if (DefaultDecisionMatrix.RecordOnly.Contains(reason) && mode is SystemMode.Normal or SystemMode.Recovering
                     && !(options.AllowLoosening?.Contains(reason) ?? false))
                errors.Add($"{matrix}:{reason} maps a record-only reason to {mode}, which would let it loosen the mode by itself; "
                    + $"to accept that on purpose list '{reason}' in {prefix}{nameof(DegradationOptions.AllowLoosening)} (it is then logged at Warning on every start).");
        }
        foreach (var reason in options.MustDeliverReasons ?? Enumerable.Empty<string>())
            if (string.IsNullOrWhiteSpace(reason)) errors.Add($"{prefix}{nameof(DegradationOptions.MustDeliverReasons)} has an empty reason code.");

        var components = prefix + nameof(DegradationOptions.Components);
        foreach (var (name, component) in Entries(options.Components))
        {
            if (string.IsNullOrWhiteSpace(name)) { errors.Add($"{components} has an empty component name."); continue; }
            if (component is null) { errors.Add($"{components}:{name} is null."); continue; }
            if (component.StatusTtl is { } ttl && ValidDurationAttribute.Check(ttl, allowZero: false) is { } ttlError)
                errors.Add($"{components}:{name}:{nameof(ComponentOptions.StatusTtl)} {ttlError}");
            if (component.TimeoutReason is { } reason && string.IsNullOrWhiteSpace(reason))
                errors.Add($"{components}:{name}:{nameof(ComponentOptions.TimeoutReason)} must not be blank.");
        }

        var limitsKey = prefix + nameof(DegradationOptions.TradingLimits);
        foreach (var (mode, limits) in Entries(options.TradingLimits))
        {
            if (!Enum.IsDefined(mode)) { errors.Add($"{limitsKey} has unknown mode '{OptionsKey.Format((int)mode)}'; valid modes: {WireNames.ValidModes}."); continue; }
            if (limits is null) { errors.Add($"{limitsKey}:{mode} is null."); continue; }
            if (limits.MaxOrderQuantity is { } q && q <= 0)
                errors.Add($"{limitsKey}:{mode}:{nameof(TradingLimits.MaxOrderQuantity)} must be > 0 (was {OptionsKey.Format(q)}).");
            if (limits.MaxOpenPositions is { } p && p < 0)
                errors.Add($"{limitsKey}:{mode}:{nameof(TradingLimits.MaxOpenPositions)} must be >= 0 (was {OptionsKey.Format(p)}).");
            if (limits.MinCashReserve is { } r && r < 0)
                errors.Add($"{limitsKey}:{mode}:{nameof(TradingLimits.MinCashReserve)} must be >= 0 (was {OptionsKey.Format(r)}).");
        }

        var denied = prefix + nameof(DegradationOptions.DeniedActions);
        foreach (var (mode, actions) in Entries(options.DeniedActions))
        {
            if (!Enum.IsDefined(mode)) { errors.Add($"{denied} has unknown mode '{OptionsKey.Format((int)mode)}'; valid modes: {WireNames.ValidModes}."); continue; }
            foreach (var action in actions ?? [])
                if (!Enum.IsDefined(action)) errors.Add($"{denied}:{mode} has unknown action '{OptionsKey.Format((int)action)}'; valid actions: {WireNames.ValidActions}.");
        }
        return errors;
    }

    /// <summary>The entries of a map, none when it is null (reported as such above).</summary>
    private static IEnumerable<KeyValuePair<TKey, TValue>> Entries<TKey, TValue>(IDictionary<TKey, TValue>? map) => map ?? Enumerable.Empty<KeyValuePair<TKey, TValue>>();

    private static void NotNull(List<string> errors, string prefix, string name, object? value)
    {
        if (value is null) errors.Add($"{prefix}{name} must not be null.");
    }
}
