using System.ComponentModel.DataAnnotations;

namespace Degradation.Features;

/// <summary>
/// How the trading mode and critical failures drive the feature degradation level (see <see cref="FeatureLevelDriver"/>;
/// section <c>Degradation:FeatureLevels</c>). Defaults: Normal → Normal, Degraded → DegradedL1, Recovering → DegradedL2,
/// SafeMode and SafeModeDisconnected → Minimal, Halt → Emergency; a failed (tripped) critical component → at least
/// DegradedL2.
/// </summary>
public sealed class FeatureLevelOptions : OptionsSection, IValidatableObject
{
    /// <summary>
    /// The feature level each mode derives. Every mode needs one, and a stricter mode (Normal &lt; Degraded &lt;
    /// Recovering &lt; SafeMode &lt; SafeModeDisconnected &lt; Halt) must not derive a milder level. Read-only in a frozen copy.
    /// </summary>
    public IDictionary<SystemMode, FeatureDegradationLevel> ModeLevels { get; set => field = Settable(value); } = CreateDefaultModeLevels();

    /// <summary>The least strict level while any critical component is tripped, whatever the mode (default DegradedL2).</summary>
    public FeatureDegradationLevel CriticalFailureLevel { get; set => field = Settable(value); } = FeatureDegradationLevel.DegradedL2;

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

    /// <summary>
    /// Checks every value and returns one message per invalid option (empty when valid), each naming the option
    /// (<c>FeatureLevelOptions:ModeLevels:Halt</c>; <c>Degradation:FeatureLevels:…</c> when validated with
    /// <see cref="DegradationOptions"/>) and the bad value.
    /// </summary>
    public IReadOnlyList<string> Validate() => OptionsValidation.Validate(this);

    /// <summary>Throws <see cref="DegradationOptionsException"/> naming every invalid option.</summary>
    public void ValidateAndThrow() => OptionsValidation.ValidateAndThrow(this);

    /// <summary>The rules across values: known levels, a level for every mode, no milder level for a stricter mode.</summary>
    IEnumerable<ValidationResult> IValidatableObject.Validate(ValidationContext validationContext)
    {
        ArgumentNullException.ThrowIfNull(validationContext);
        return FeatureLevelRules.Check(this, OptionsKey.Prefix(validationContext)).Select(e => new ValidationResult(e));
    }

    private protected override void CopyMembers(bool frozen) => ModeLevels = CopyOf(ModeLevels, frozen);
}
