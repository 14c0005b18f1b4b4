namespace Degradation.AspNetCore.Contracts;

/// <summary>The TTL bounds an override must respect (options Operator:MinOverrideTtl / Operator:MaxOverrideTtl).</summary>
public sealed class OverrideBoundsResponse
{
    /// <summary>Shortest TTL, in seconds.</summary>
    public required double MinSeconds { get; init; }
    /// <summary>Longest TTL, in seconds.</summary>
    public required double MaxSeconds { get; init; }
}
