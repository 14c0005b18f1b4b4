using System.Text.Json.Serialization;

namespace Degradation.AspNetCore.Contracts;

/// <summary>One component in the health report.</summary>
public sealed class ComponentHealthResponse
{
    /// <summary>True when its level is healthy.</summary>
    public required bool Healthy { get; init; }
    /// <summary><c>critical</c> (its failure may stop trading) or <c>optional</c>.</summary>
    public required string Category { get; init; }
    /// <summary>Its level: <c>healthy</c>, <c>unstable</c>, <c>tripped</c> or <c>unknown</c>.</summary>
    public required string Status { get; init; }
    /// <summary>True when its latest failure says it is temporarily unavailable (e.g. HTTP 503) rather than broken.</summary>
    [JsonPropertyName("is_503")]
    public required bool Is503 { get; init; }
    /// <summary>A short human description from its registration.</summary>
    public string? Description { get; init; }
    /// <summary>Its fallback strategy (active or standing by), or null when it has none.</summary>
    public FallbackStrategyResponse? Fallback { get; init; }
    /// <summary>What is wrong with it; empty when healthy.</summary>
    public required IReadOnlyList<string> Issues { get; init; }
    /// <summary>When it last reported, or null.</summary>
    public DateTimeOffset? LastReport { get; init; }
    /// <summary>The details of its last report.</summary>
    public string? LastDetails { get; init; }
    /// <summary>The failure type of its strictest condition, when the failure taxonomy knows its reason; else null.</summary>
    public FailureTypeResponse? FailureType { get; init; }
}
