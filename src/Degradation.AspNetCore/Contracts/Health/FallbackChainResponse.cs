namespace Degradation.AspNetCore.Contracts;

/// <summary>One fallback chain in the health report.</summary>
public sealed class FallbackChainResponse
{
    /// <summary>The chain's name.</summary>
    public required string Name { get; init; }
    /// <summary>The primary tier: <c>active</c>, <c>broken</c> or <c>restoring</c>.</summary>
    public required string PrimaryState { get; init; }
    /// <summary>The tier serving now, or null when none can.</summary>
    public string? ActiveTier { get; init; }
    /// <summary>Share of calls sent to the primary (100 unless broken or restoring).</summary>
    public required int PrimaryTrafficPercent { get; init; }
    /// <summary>Tiers waiting for an operator's approval.</summary>
    public required IReadOnlyList<string> PendingApprovals { get; init; }
    /// <summary>Every tier, primary first.</summary>
    public required IReadOnlyList<FallbackTierResponse> Tiers { get; init; }
}
