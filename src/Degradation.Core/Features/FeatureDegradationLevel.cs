namespace Degradation.Features;

/// <summary>Service degradation levels that decide which features stay available. Higher = fewer features.</summary>
public enum FeatureDegradationLevel : byte
{
    /// <summary>Everything available.</summary>
    Normal = 0,
    /// <summary>Backup mode, core functionality kept; extras reduced or off.</summary>
    DegradedL1 = 1,
    /// <summary>Some features temporarily limited.</summary>
    DegradedL2 = 2,
    /// <summary>Only the preserved minimum.</summary>
    Minimal = 3,
    /// <summary>Critical functions only.</summary>
    Emergency = 4,
    /// <summary>Nothing available.</summary>
    Offline = 5,
}
