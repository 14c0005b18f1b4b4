using Degradation.Breakers;
using Degradation.Load;
using Degradation.Probes;

namespace Degradation.Hosting;

/// <summary>Tag names and the lower-case wire values the instruments use.</summary>
internal static class MetricTags
{
    public const string Component = "degradation.component";
    public const string Reason = "degradation.reason";
    public const string From = "degradation.from";
    public const string To = "degradation.to";
    public const string State = "degradation.state";
    public const string Priority = "degradation.priority";
    public const string Status = "degradation.status";
    public const string Source = "degradation.source";
    public const string Stage = "degradation.recovery.stage";
    public const string Outcome = "degradation.outcome";
    public const string Cache = "degradation.cache";
    /// <summary>The scope's path (<c>venue-a/acct-1</c>); empty for the process.</summary>
    public const string Scope = "degradation.scope";

    public static string Of(LoadLevel level) => level switch
    {
        LoadLevel.Normal => "normal",
        LoadLevel.Soft => "soft",
        LoadLevel.Graceful => "graceful",
        LoadLevel.Aggressive => "aggressive",
        LoadLevel.CircuitBreak => "circuit_break",
        _ => "unknown",
    };

    public static string Of(BreakerState state) => state switch
    {
        BreakerState.Closed => "closed",
        BreakerState.Open => "open",
        BreakerState.HalfOpen => "half_open",
        BreakerState.Isolated => "isolated",
        _ => "unknown",
    };

    public static string Of(MessagePriority priority) => priority switch
    {
        MessagePriority.Critical => "critical",
        MessagePriority.High => "high",
        MessagePriority.Normal => "normal",
        MessagePriority.Low => "low",
        _ => "unknown",
    };

    public static string Of(ProbeStatus status) => status switch
    {
        ProbeStatus.Healthy => "healthy",
        ProbeStatus.Degraded => "degraded",
        ProbeStatus.Unhealthy => "unhealthy",
        _ => "unknown",
    };

    public static KeyValuePair<string, object?> Tag(string name, object? value) => new(name, value);
}
