namespace Degradation;

/// <summary>
/// Builds <see cref="HealthReport"/>s from the state machine's components and the gate (seed 004). Overall status:
/// Paused when the gate refuses <see cref="ActionType.Send"/>; otherwise Degraded when the mode is not Normal, a fallback
/// is active, or a component has an issue; otherwise FullyOperational. An optional component that never reported is
/// listed as Unknown with an issue but does not make the system degraded on its own (nothing says it failed).
/// </summary>
public sealed class HealthReporter
{
    private readonly DegradationStateMachine _stateMachine;
    private readonly ComponentFallbackCoordinator? _fallbacks;

    /// <summary>Creates a reporter. With <paramref name="fallbacks"/>, active fallbacks come from it; otherwise a failing component's registered fallback is shown as active.</summary>
    public HealthReporter(DegradationStateMachine stateMachine, ComponentFallbackCoordinator? fallbacks = null)
    {
        ArgumentNullException.ThrowIfNull(stateMachine);
        _stateMachine = stateMachine;
        _fallbacks = fallbacks;
    }

    /// <summary>Creates a reporter for <paramref name="system"/>.</summary>
    public HealthReporter(DegradationSystem system, ComponentFallbackCoordinator? fallbacks = null)
        : this((system ?? throw new ArgumentNullException(nameof(system))).StateMachine, fallbacks)
    {
    }

    /// <summary>Builds a report now.</summary>
    public HealthReport Build()
    {
        var snapshot = _stateMachine.Gate.Snapshot;
        var statuses = _stateMachine.GetComponents();
        var components = new List<ComponentHealth>(statuses.Count);
        var fallbacks = new List<string>();
        var critical = new List<string>();
        var optional = new List<string>();
        var anyIssue = false;
        foreach (var status in statuses.OrderBy(s => s.Critical ? 0 : 1).ThenBy(s => s.Id.Name, StringComparer.Ordinal))
        {
            var category = status.Critical || status.Id == ComponentId.System ? ComponentCategory.Critical : ComponentCategory.Optional;
            var issues = Issues(status);
            var failing = ComponentFallbackCoordinator.IsFailing(status);
            var activeFallback = _fallbacks is { } coordinator ? coordinator.GetActive(status.Id) : failing ? status.Fallback : null;
            if (activeFallback is not null) fallbacks.Add($"{status.Id} -> {activeFallback}");
            var neverReported = status.Level == ComponentLevel.Unknown && status.LastReport is null;
            if (issues.Count > 0 && !(neverReported && category == ComponentCategory.Optional)) anyIssue = true;
            foreach (var issue in issues) (category == ComponentCategory.Critical ? critical : optional).Add($"{status.Id}: {issue}");
            components.Add(new ComponentHealth
            {
                Id = status.Id, Category = category, Description = status.Category, Level = status.Level,
                ActiveFallback = activeFallback, RegisteredFallback = status.Fallback, Issues = issues,
                LastReport = status.LastReport, LastDetails = status.LastDetails,
            });
        }
        var canTrade = snapshot.Allows(ActionType.Send);
        var overall = !canTrade ? OverallHealth.Paused
            : snapshot.Mode != SystemMode.Normal || anyIssue || fallbacks.Count > 0 ? OverallHealth.Degraded
            : OverallHealth.FullyOperational;
        return new HealthReport
        {
            Overall = overall, CanTrade = canTrade, Mode = snapshot.Mode, Stage = snapshot.Stage, Reason = snapshot.Reason,
            Components = components, FallbackStrategies = fallbacks, CriticalIssues = critical, OptionalIssues = optional,
            GeneratedAt = _stateMachine.TimeProvider.GetUtcNow(),
        };
    }

    private static List<string> Issues(ComponentStatus status)
    {
        var issues = new List<string>();
        foreach (var condition in status.Conditions)
            issues.Add($"{condition.Reason} ({condition.Mode})");
        if (status.Level == ComponentLevel.Unknown)
            issues.Add(status.LastReport is null ? "no report yet" : "status expired: no report within its TTL");
        if (issues.Count > 0 && status.LastDetails is { Length: > 0 } details && status.Conditions.Count > 0)
            issues[0] += ": " + details;
        return issues;
    }
}
