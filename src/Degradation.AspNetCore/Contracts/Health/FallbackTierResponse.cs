namespace Degradation.AspNetCore.Contracts;

/// <summary>One tier of a fallback chain.</summary>
public sealed class FallbackTierResponse
{
    /// <summary>The tier's name.</summary>
    public required string Name { get; init; }
    /// <summary>Its role, e.g. <c>primary</c> or <c>cache</c>.</summary>
    public required string Kind { get; init; }
    /// <summary>Quality in percent.</summary>
    public required int Quality { get; init; }
    /// <summary>True while its breaker is open.</summary>
    public required bool Broken { get; init; }
    /// <summary>Failures in a row.</summary>
    public required int ConsecutiveFailures { get; init; }
    /// <summary>True when traffic may reach it only after an operator's approval.</summary>
    public required bool NeedsApproval { get; init; }
    /// <summary>True when that approval was given.</summary>
    public required bool Approved { get; init; }
}
