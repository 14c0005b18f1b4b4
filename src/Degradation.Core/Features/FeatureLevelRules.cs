namespace Degradation.Features;

/// <summary>
/// The rules of <see cref="FeatureLevelOptions"/>: every level a defined one, a level for every mode, and a stricter mode
/// never deriving a milder level (a stricter mode cannot re-enable features). Messages start with the key path and name
/// the bad value and the valid values.
/// </summary>
internal static class FeatureLevelRules
{
    private static readonly string ValidLevels = string.Join(", ", Enum.GetNames<FeatureDegradationLevel>());

    public static List<string> Check(FeatureLevelOptions options, string prefix)
    {
        var errors = new List<string>();
        var levels = prefix + nameof(FeatureLevelOptions.ModeLevels);
        if (!Enum.IsDefined(options.CriticalFailureLevel))
            errors.Add($"{prefix}{nameof(FeatureLevelOptions.CriticalFailureLevel)} has unknown level '{OptionsKey.Format((int)options.CriticalFailureLevel)}'; valid levels: {ValidLevels}.");
        if (options.ModeLevels is not { } modeLevels)
        {
            errors.Add($"{levels} must not be null.");
            return errors;
        }
        foreach (var (mode, level) in modeLevels)
        {
            if (!Enum.IsDefined(mode)) errors.Add($"{levels} has unknown mode '{OptionsKey.Format((int)mode)}'; valid modes: {WireNames.ValidModes}.");
            else if (!Enum.IsDefined(level)) errors.Add($"{levels}:{mode} has unknown level '{OptionsKey.Format((int)level)}'; valid levels: {ValidLevels}.");
        }
        var modes = Enum.GetValues<SystemMode>().OrderBy(ModeTransition.Restrictiveness).ToArray();
        foreach (var mode in modes)
            if (!modeLevels.ContainsKey(mode)) errors.Add($"{levels} has no level for mode {mode}.");
        if (errors.Count > 0) return errors;
        for (var i = 1; i < modes.Length; i++)
        {
            var (milder, stricter) = (modes[i - 1], modes[i]);
            if (modeLevels[stricter] < modeLevels[milder])
                errors.Add($"{levels}:{stricter} ({modeLevels[stricter]}) must not be milder than {levels}:{milder} ({modeLevels[milder]}): a stricter mode cannot re-enable features.");
        }
        return errors;
    }
}
