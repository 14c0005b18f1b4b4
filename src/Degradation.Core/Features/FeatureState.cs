namespace Degradation.Features;

/// <summary>How a feature runs at a degradation level.</summary>
public enum FeatureState : byte
{
    /// <summary>Fully available.</summary>
    Enabled = 0,
    /// <summary>Available at reduced quality or capacity (still counts as available).</summary>
    Reduced = 1,
    /// <summary>Unavailable.</summary>
    Disabled = 2,
}
