namespace Degradation.Fallback;

/// <summary>A point-in-time view of a fallback chain, for reports and operators.</summary>
public sealed record FallbackChainStatus
{
    /// <summary>The chain's name.</summary>
    public required string Name { get; init; }
    /// <summary>Where the primary stands.</summary>
    public required PrimaryTierState PrimaryState { get; init; }
    /// <summary>The first usable tier (the one serving traffic the primary does not take), or null when none is usable.</summary>
    public FallbackTierInfo? ActiveTier { get; init; }
    /// <summary>The share of calls the primary receives (100 when active, 0 when broken, the ramp's share while restoring).</summary>
    public required int PrimaryTrafficPercent { get; init; }
    /// <summary>The index of the current ramp step while restoring.</summary>
    public int? RampStep { get; init; }
    /// <summary>The latest validation of the ramp, if one ran during this restoration.</summary>
    public RestorationValidation? LastValidation { get; init; }
    /// <summary>Every tier.</summary>
    public required IReadOnlyList<FallbackTierStatus> Tiers { get; init; }

    /// <summary>Names of the tiers waiting for an approval.</summary>
    public IReadOnlyList<string> PendingApprovals => [.. Tiers.Where(t => t.ApprovalPending).Select(t => t.Tier.Name)];

    /// <summary>True when the primary does not serve every call.</summary>
    public bool IsFallbackActive => PrimaryState != PrimaryTierState.Active;
}
