namespace Degradation.Health;

/// <summary>One component's line in a <see cref="HealthReport"/>.</summary>
public sealed record ComponentHealth
{
    /// <summary>The component.</summary>
    public required ComponentId Id { get; init; }
    /// <summary>Critical or optional.</summary>
    public required ComponentCategory Category { get; init; }
    /// <summary>The human description from its registration (e.g. "market data").</summary>
    public string? Description { get; init; }
    /// <summary>Its level in the state machine.</summary>
    public required ComponentLevel Level { get; init; }
    /// <summary>True when the level is Healthy.</summary>
    public bool Healthy => Level == ComponentLevel.Healthy;
    /// <summary>The fallback strategy active for it, if any.</summary>
    public string? ActiveFallback { get; init; }
    /// <summary>The fallback registered for it, active or not.</summary>
    public string? RegisteredFallback { get; init; }
    /// <summary>What is wrong with it, one line per condition (empty when healthy).</summary>
    public required IReadOnlyList<string> Issues { get; init; }
    /// <summary>Wall time of its latest report.</summary>
    public DateTimeOffset? LastReport { get; init; }
    /// <summary>Details of its latest report.</summary>
    public string? LastDetails { get; init; }
    /// <summary>Its fallback strategy (the active one, else the registered one) with description and impact, or null when it has none.</summary>
    public FallbackStrategyInfo? Fallback { get; init; }
    /// <summary>
    /// True when it is not healthy and its latest probe round found it temporarily unavailable (a transient unhealthy
    /// result, e.g. HTTP 503) rather than broken: worth an immediate retry, not a panic.
    /// </summary>
    public bool ServiceUnavailable { get; init; }
}
