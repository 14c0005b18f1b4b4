namespace Degradation.Features;

/// <summary>The fixed facts about each <see cref="FeatureDegradationLevel"/>.</summary>
public static class FeatureLevels
{
    /// <summary>Share of features available: 1.0, 0.8, 0.5, 0.2, 0.1, 0.</summary>
    public static double Availability(FeatureDegradationLevel level) => level switch
    {
        FeatureDegradationLevel.Normal => 1.0,
        FeatureDegradationLevel.DegradedL1 => 0.8,
        FeatureDegradationLevel.DegradedL2 => 0.5,
        FeatureDegradationLevel.Minimal => 0.2,
        FeatureDegradationLevel.Emergency => 0.1,
        _ => 0.0,
    };

    /// <summary>Whether users must be told (DegradedL2 and worse).</summary>
    public static bool UserNotificationRequired(FeatureDegradationLevel level) => level >= FeatureDegradationLevel.DegradedL2;

    /// <summary>The impact on the service level: NONE, MINOR, MODERATE, SIGNIFICANT, SEVERE, CRITICAL.</summary>
    public static string SlaImpact(FeatureDegradationLevel level) => level switch
    {
        FeatureDegradationLevel.Normal => "NONE",
        FeatureDegradationLevel.DegradedL1 => "MINOR",
        FeatureDegradationLevel.DegradedL2 => "MODERATE",
        FeatureDegradationLevel.Minimal => "SIGNIFICANT",
        FeatureDegradationLevel.Emergency => "SEVERE",
        _ => "CRITICAL",
    };

    /// <summary>The user-facing message of a level (empty for Normal).</summary>
    public static string UserMessage(FeatureDegradationLevel level) => level switch
    {
        FeatureDegradationLevel.Normal => "",
        FeatureDegradationLevel.DegradedL1 => "Running in backup mode, full functionality",
        FeatureDegradationLevel.DegradedL2 => "Some features temporarily limited",
        FeatureDegradationLevel.Minimal => "Service operating in minimal mode",
        FeatureDegradationLevel.Emergency => "Emergency mode - critical functions only",
        _ => "Service temporarily unavailable",
    };
}
