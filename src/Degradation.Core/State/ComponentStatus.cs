namespace Degradation.State;

/// <summary>A point-in-time copy of one component's state in the state machine.</summary>
public sealed record ComponentStatus
{
    /// <summary>The component.</summary>
    public required ComponentId Id { get; init; }
    /// <summary>Critical components can close trading; optional ones degrade at most to Degraded.</summary>
    public required bool Critical { get; init; }
    /// <summary>Health level; Unknown when it never reported or its status TTL expired.</summary>
    public required ComponentLevel Level { get; init; }
    /// <summary>Its active conditions.</summary>
    public required IReadOnlyList<ActiveCondition> Conditions { get; init; }
    /// <summary>Wall time of its latest report, null if it never reported.</summary>
    public DateTimeOffset? LastReport { get; init; }
    /// <summary>Reason of its latest report.</summary>
    public ReasonCode LastReason { get; init; }
    /// <summary>Details of its latest report.</summary>
    public string? LastDetails { get; init; }
    /// <summary>A short human category (from its registration).</summary>
    public string? Category { get; init; }
    /// <summary>The fallback strategy registered for it, if any.</summary>
    public string? Fallback { get; init; }
}
