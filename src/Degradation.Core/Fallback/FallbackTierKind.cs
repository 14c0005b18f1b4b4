namespace Degradation.Fallback;

/// <summary>The role of a tier in a fallback chain. Each kind has a default quality and approval rule (see <see cref="FallbackTierDefaults"/>).</summary>
public enum FallbackTierKind : byte
{
    /// <summary>The normal source (quality 100).</summary>
    Primary = 0,
    /// <summary>An equivalent backup source (quality 90).</summary>
    Secondary = 1,
    /// <summary>Cached answers (quality 80).</summary>
    Cache = 2,
    /// <summary>A reduced answer (quality 60; needs approval by default).</summary>
    Degraded = 3,
    /// <summary>A fixed answer (quality 30; needs approval by default).</summary>
    Static = 4,
    /// <summary>An explicit error answer (quality 0).</summary>
    Error = 5,
}
