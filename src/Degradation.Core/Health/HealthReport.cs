using System.Text;

namespace Degradation.Health;

/// <summary>
/// The system's health at a glance: overall status, whether trading is possible, and every
/// component's level, category, active fallback and issues.
/// </summary>
public sealed record HealthReport
{
    /// <summary>Fully operational, degraded or paused.</summary>
    public required OverallHealth Overall { get; init; }
    /// <summary>True when new orders are allowed (<see cref="ActionType.Send"/> passes the gate).</summary>
    public required bool CanTrade { get; init; }
    /// <summary>The mode.</summary>
    public required SystemMode Mode { get; init; }
    /// <summary>The recovery stage, in Recovering.</summary>
    public RecoveryStage? Stage { get; init; }
    /// <summary>Why the system is in its mode.</summary>
    public required ReasonCode Reason { get; init; }
    /// <summary>Every component.</summary>
    public required IReadOnlyList<ComponentHealth> Components { get; init; }
    /// <summary>Active fallbacks, as "component -> fallback".</summary>
    public required IReadOnlyList<string> FallbackStrategies { get; init; }
    /// <summary>Issues of critical components and of the system itself (e.g. a failed recovery).</summary>
    public required IReadOnlyList<string> CriticalIssues { get; init; }
    /// <summary>Issues of optional components.</summary>
    public required IReadOnlyList<string> OptionalIssues { get; init; }
    /// <summary>Every tracked circuit breaker (see <see cref="HealthReporter.Track(ComponentCircuitBreaker)"/>), by component.</summary>
    public IReadOnlyList<BreakerSnapshot> Breakers { get; init; } = [];
    /// <summary>Every tracked fallback chain (see <see cref="HealthReporter.Track(FallbackChain)"/>), by name.</summary>
    public IReadOnlyList<FallbackChainStatus> FallbackChains { get; init; } = [];
    /// <summary>
    /// The scopes below the process that are closed at their own level: their own mode refuses
    /// <see cref="ActionType.Send"/> (halted, recovering, in safe mode), which closes them and everything under them while
    /// other scopes may trade. Each scope before its children; empty when every scope is open or the
    /// system has no scopes. <see cref="CanTrade"/> and <see cref="Overall"/> are the process's.
    /// </summary>
    public IReadOnlyList<ScopeHealth> ClosedScopes { get; init; } = [];
    /// <summary>When the report was built.</summary>
    public required DateTimeOffset GeneratedAt { get; init; }

    /// <summary>The component named <paramref name="id"/>, or null.</summary>
    public ComponentHealth? GetComponent(ComponentId id) => Components.FirstOrDefault(c => c.Id == id);

    /// <summary>A short multi-line text form.</summary>
    public override string ToString()
    {
        var text = new StringBuilder();
        text.Append(Overall).Append(" (").Append(Mode).Append(Stage is { } s ? "/" + s : "").Append(", can trade: ").Append(CanTrade).AppendLine(")");
        foreach (var c in Components)
        {
            text.Append("  ").Append(c.Id).Append(" [").Append(c.Category).Append("] ").Append(c.Level);
            if (c.ActiveFallback is not null) text.Append(" fallback=").Append(c.ActiveFallback);
            if (c.ServiceUnavailable) text.Append(" (503)");
            if (c.Issues.Count > 0) text.Append(": ").AppendJoin("; ", c.Issues);
            text.AppendLine();
        }
        foreach (var b in Breakers) text.Append("  breaker ").Append(b.Component).Append(": ").Append(b.State).AppendLine();
        foreach (var scope in ClosedScopes) text.Append("  scope ").Append(scope).AppendLine();
        foreach (var c in FallbackChains) text.Append("  chain ").Append(c.Name).Append(": primary ").Append(c.PrimaryState).Append(", serving ").Append(c.ActiveTier?.Name ?? "none").AppendLine();
        return text.ToString();
    }
}
