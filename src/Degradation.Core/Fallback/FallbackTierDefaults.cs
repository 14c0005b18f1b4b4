namespace Degradation.Fallback;

/// <summary>The per-kind defaults for fallback tiers.</summary>
internal static class FallbackTierDefaults
{
    /// <summary>Expected quality in percent: primary 100, secondary 90, cache 80, degraded 60, static 30, error 0.</summary>
    public static int Quality(FallbackTierKind kind) => kind switch
    {
        FallbackTierKind.Primary => 100,
        FallbackTierKind.Secondary => 90,
        FallbackTierKind.Cache => 80,
        FallbackTierKind.Degraded => 60,
        FallbackTierKind.Static => 30,
        _ => 0,
    };

    /// <summary>True for the kinds an operator must approve before traffic fails over to them: degraded and static.</summary>
    public static bool RequiresApproval(FallbackTierKind kind) => kind is FallbackTierKind.Degraded or FallbackTierKind.Static;
}
