namespace Degradation.Features;

/// <summary>Which features one <see cref="FeatureDegradationLevel"/> preserves, reduces and disables.</summary>
public sealed class FeatureLevelRule
{
    /// <summary>Features kept fully available.</summary>
    public HashSet<string> Preserve { get; set; } = new(StringComparer.Ordinal);
    /// <summary>Features kept at reduced quality or capacity.</summary>
    public HashSet<string> Reduce { get; set; } = new(StringComparer.Ordinal);
    /// <summary>Features switched off.</summary>
    public HashSet<string> Disable { get; set; } = new(StringComparer.Ordinal);
    /// <summary>When true, every feature not listed in <see cref="Preserve"/> or <see cref="Reduce"/> is off; otherwise unlisted features stay enabled.</summary>
    public bool DisableUnlisted { get; set; }

    /// <summary>Creates a rule from lists.</summary>
    public static FeatureLevelRule Of(IEnumerable<string>? preserve = null, IEnumerable<string>? reduce = null, IEnumerable<string>? disable = null, bool disableUnlisted = false) => new()
    {
        Preserve = new HashSet<string>(preserve ?? [], StringComparer.Ordinal),
        Reduce = new HashSet<string>(reduce ?? [], StringComparer.Ordinal),
        Disable = new HashSet<string>(disable ?? [], StringComparer.Ordinal),
        DisableUnlisted = disableUnlisted,
    };
}
