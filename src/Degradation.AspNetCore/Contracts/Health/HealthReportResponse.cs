namespace Degradation.AspNetCore.Contracts;

/// <summary>GET <c>health-report</c>: the system's health at a glance.</summary>
public sealed class HealthReportResponse
{
    /// <summary><c>fully_operational</c>, <c>degraded</c> or <c>paused</c>.</summary>
    public required string OverallStatus { get; init; }
    /// <summary>True when new orders pass the gate.</summary>
    public required bool CanTrade { get; init; }
    /// <summary>The mode, e.g. <c>degraded</c>.</summary>
    public required string Mode { get; init; }
    /// <summary>The recovery stage while recovering, else null.</summary>
    public string? Stage { get; init; }
    /// <summary>Why the system is in its mode.</summary>
    public required string Reason { get; init; }
    /// <summary>Every component by id, critical ones first.</summary>
    public required IReadOnlyDictionary<string, ComponentHealthResponse> Components { get; init; }
    /// <summary>Active fallbacks, as <c>"component -> strategy"</c> (fallback chains as <c>"chain -> tier"</c>).</summary>
    public required IReadOnlyList<string> FallbackStrategies { get; init; }
    /// <summary>Issues of critical components and of the system itself.</summary>
    public required IReadOnlyList<string> CriticalIssues { get; init; }
    /// <summary>Issues of optional components.</summary>
    public required IReadOnlyList<string> OptionalIssues { get; init; }
    /// <summary>Every tracked circuit breaker.</summary>
    public required IReadOnlyList<BreakerResponse> Breakers { get; init; }
    /// <summary>Every tracked fallback chain.</summary>
    public required IReadOnlyList<FallbackChainResponse> FallbackChains { get; init; }
    /// <summary>When the report was built.</summary>
    public required DateTimeOffset GeneratedAt { get; init; }
}
