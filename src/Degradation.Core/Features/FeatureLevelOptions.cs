using System.Globalization;

namespace Degradation.Features;

/// <summary>
/// How the trading mode and critical failures drive the feature degradation level (see <see cref="FeatureLevelDriver"/>).
/// Defaults: Normal → Normal, Degraded → DegradedL1, Recovering → DegradedL2, SafeMode and SafeModeDisconnected → Minimal,
/// Halt → Emergency; a failed (tripped) critical component → at least DegradedL2.
/// </summary>
public sealed class FeatureLevelOptions
{
    /// <summary>
    /// The feature level each mode derives. Every mode needs one, and a stricter mode (Normal &lt; Degraded &lt;
    /// Recovering &lt; SafeMode &lt; SafeModeDisconnected &lt; Halt) must not derive a milder level.
    /// </summary>
    public Dictionary<SystemMode, FeatureDegradationLevel> ModeLevels { get; set; } = CreateDefaultModeLevels();

    /// <summary>The least strict level while any critical component is tripped, whatever the mode (default DegradedL2).</summary>
    public FeatureDegradationLevel CriticalFailureLevel { get; set; } = FeatureDegradationLevel.DegradedL2;

    /// <summary>The default mode → level mapping (see the class summary).</summary>
    public static Dictionary<SystemMode, FeatureDegradationLevel> CreateDefaultModeLevels() => new()
    {
        [SystemMode.Normal] = FeatureDegradationLevel.Normal,
        [SystemMode.Degraded] = FeatureDegradationLevel.DegradedL1,
        [SystemMode.Recovering] = FeatureDegradationLevel.DegradedL2,
        [SystemMode.SafeMode] = FeatureDegradationLevel.Minimal,
        [SystemMode.SafeModeDisconnected] = FeatureDegradationLevel.Minimal,
        [SystemMode.Halt] = FeatureDegradationLevel.Emergency,
    };

    /// <summary>Checks every value and returns one message per invalid option (empty when valid).</summary>
    public IReadOnlyList<string> Validate()
    {
        var errors = new List<string>();
        if (!Enum.IsDefined(CriticalFailureLevel))
            errors.Add($"{nameof(CriticalFailureLevel)} is not a feature degradation level (was '{((int)CriticalFailureLevel).ToString(CultureInfo.InvariantCulture)}').");
        if (ModeLevels is null) return [.. errors, $"{nameof(ModeLevels)} must not be null."];
        foreach (var (mode, level) in ModeLevels)
        {
            if (!Enum.IsDefined(mode)) errors.Add($"{nameof(ModeLevels)} has unknown mode '{((int)mode).ToString(CultureInfo.InvariantCulture)}'.");
            else if (!Enum.IsDefined(level)) errors.Add($"{nameof(ModeLevels)}:{mode} is not a feature degradation level (was '{((int)level).ToString(CultureInfo.InvariantCulture)}').");
        }
        var modes = Enum.GetValues<SystemMode>().OrderBy(ModeTransition.Restrictiveness).ToArray();
        foreach (var mode in modes)
            if (!ModeLevels.ContainsKey(mode)) errors.Add($"{nameof(ModeLevels)} has no level for mode {mode}.");
        if (errors.Count > 0) return errors;
        for (var i = 1; i < modes.Length; i++)
        {
            var (milder, stricter) = (modes[i - 1], modes[i]);
            if (ModeLevels[stricter] < ModeLevels[milder])
                errors.Add($"{nameof(ModeLevels)}:{stricter} ({ModeLevels[stricter]}) must not be milder than {nameof(ModeLevels)}:{milder} ({ModeLevels[milder]}): a stricter mode cannot re-enable features.");
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
