namespace Degradation.AspNetCore.Contracts;

/// <summary>One component as the state machine sees it.</summary>
public sealed class ComponentResponse
{
    /// <summary>The component id, e.g. <c>broker</c>.</summary>
    public required string Id { get; init; }
    /// <summary>Critical components can close trading; optional ones degrade at most to Degraded.</summary>
    public required bool Critical { get; init; }
    /// <summary>A short human category.</summary>
    public string? Category { get; init; }
    /// <summary><c>healthy</c>, <c>unstable</c>, <c>tripped</c> or <c>unknown</c>.</summary>
    public required string Level { get; init; }
    /// <summary>Its active conditions.</summary>
    public required IReadOnlyList<ConditionResponse> Conditions { get; init; }
    /// <summary>When it last reported, or null.</summary>
    public DateTimeOffset? LastReport { get; init; }
    /// <summary>The reason of its last report.</summary>
    public string? LastReason { get; init; }
    /// <summary>The details of its last report.</summary>
    public string? LastDetails { get; init; }
    /// <summary>The registered fallback strategy, or null.</summary>
    public string? Fallback { get; init; }
    /// <summary>True when a fallback is registered and the component is not healthy, so the fallback is serving.</summary>
    public required bool FallbackActive { get; init; }
}
