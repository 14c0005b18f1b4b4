namespace Degradation.State;

/// <summary>Mutable per-component bookkeeping inside the state machine (guarded by its lock).</summary>
internal sealed class ComponentState(ComponentId id, bool critical, TimeSpan defaultTtl, ComponentOptions? registration)
{
    public ComponentId Id { get; } = id;
    public bool Critical { get; } = critical;
    public TimeSpan DefaultTtl { get; } = defaultTtl;
    public ComponentOptions? Registration { get; } = registration;
    public Dictionary<(ReasonCode Reason, ConditionSource Source), ActiveCondition> Conditions { get; } = [];
    public bool HasReported { get; set; }
    public bool Stale { get; set; }
    public long LastReportTimestamp { get; set; }
    public DateTimeOffset? LastReportWall { get; set; }
    public TimeSpan CurrentTtl { get; set; } = defaultTtl;
    public ReasonCode LastReason { get; set; }
    public string? LastDetails { get; set; }

    public bool IsSystem => Id == ComponentId.System;

    /// <summary>The state machine's own components (system, write buffer): never Unknown or stale, never capped at Degraded.</summary>
    public bool IsInternal => IsSystem || Id == ComponentId.WriteBuffer;

    public bool IsUnknown => !IsInternal && (!HasReported || Stale);

    public ComponentLevel Level
    {
        get
        {
            if (IsUnknown) return ComponentLevel.Unknown;
            var worst = SystemMode.Normal;
            foreach (var condition in Conditions.Values) if (condition.Mode > worst) worst = condition.Mode;
            return worst >= SystemMode.SafeMode ? ComponentLevel.Tripped : worst == SystemMode.Degraded ? ComponentLevel.Unstable : ComponentLevel.Healthy;
        }
    }

    public ComponentStatus ToStatus() => new()
    {
        Id = Id,
        Critical = Critical,
        Level = Level,
        Conditions = [.. Conditions.Values.OrderBy(c => c.Since)],
        LastReport = LastReportWall,
        LastReason = LastReason,
        LastDetails = LastDetails,
        Category = Registration?.Category,
        Fallback = Registration?.Fallback,
    };
}
