namespace Degradation.Health;

/// <summary>
/// Builds <see cref="HealthReport"/>s from the state machine's components and the gate (the operator's health check).
/// Overall status: Paused when the gate refuses <see cref="ActionType.Send"/>; otherwise Degraded when the mode is not
/// Normal, a fallback (component strategy or fallback-chain tier) is active, a component has an issue, or a tracked
/// circuit breaker is not closed; otherwise FullyOperational. An optional component that never reported is listed as
/// Unknown with an issue but does not make the system degraded on its own (nothing says it failed).
/// </summary>
/// <remarks>
/// Circuit breakers, fallback chains and probe runners the application creates are shown once passed to a
/// <c>Track</c> overload (the hosting package tracks the probe runner it registers). Tracked probes tell a
/// "temporarily unavailable" failure (a transient unhealthy probe result, e.g. HTTP 503) apart from others:
/// <see cref="ComponentHealth.ServiceUnavailable"/>.
/// </remarks>
public sealed class HealthReporter
{
    private readonly DegradationStateMachine _stateMachine;
    private readonly ComponentFallbackCoordinator? _fallbacks;
    private readonly TrackedParts<ComponentCircuitBreaker> _breakers = new();
    private readonly TrackedParts<FallbackChain> _chains = new();
    private readonly TrackedParts<ProbeRunner> _probes = new();

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

    /// <summary>Shows <paramref name="breaker"/>'s state in every report; a breaker that is not closed is an issue of its component.</summary>
    /// <returns>Dispose to stop showing it.</returns>
    public IDisposable Track(ComponentCircuitBreaker breaker) => _breakers.Add(breaker);

    /// <summary>Shows <paramref name="chain"/>'s state in every report; a chain serving from a fallback tier is an active fallback.</summary>
    /// <returns>Dispose to stop showing it.</returns>
    public IDisposable Track(FallbackChain chain) => _chains.Add(chain);

    /// <summary>Reads <paramref name="probes"/>' latest observations to flag components that are temporarily unavailable.</summary>
    /// <returns>Dispose to stop reading it.</returns>
    public IDisposable Track(ProbeRunner probes) => _probes.Add(probes);

    /// <summary>Builds a report now.</summary>
    public HealthReport Build()
    {
        var snapshot = _stateMachine.Gate.Snapshot;
        var statuses = _stateMachine.GetComponents();
        var breakers = _breakers.Items.Select(b => b.GetSnapshot()).OrderBy(b => b.Component.Name, StringComparer.Ordinal).ToList();
        var chains = _chains.Items.Select(c => c.GetStatus()).OrderBy(c => c.Name, StringComparer.Ordinal).ToList();
        var components = new List<ComponentHealth>(statuses.Count);
        var fallbacks = new List<string>();
        var critical = new List<string>();
        var optional = new List<string>();
        var anyIssue = false;
        foreach (var status in statuses.OrderBy(s => s.Critical ? 0 : 1).ThenBy(s => s.Id.Name, StringComparer.Ordinal))
        {
            var category = status.Critical || status.Id == ComponentId.System ? ComponentCategory.Critical : ComponentCategory.Optional;
            var issues = Issues(status);
            foreach (var breaker in breakers.Where(b => b.Component == status.Id && b.State != BreakerState.Closed))
                issues.Add(BreakerIssue(breaker));
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
                Fallback = Strategy(activeFallback ?? status.Fallback, activeFallback is not null),
                ServiceUnavailable = status.Level != ComponentLevel.Healthy && IsServiceUnavailable(status.Id),
            });
        }
        // A breaker of a component the state machine does not know still deserves a line.
        foreach (var breaker in breakers.Where(b => b.State != BreakerState.Closed && !statuses.Any(s => s.Id == b.Component)))
        {
            optional.Add($"{breaker.Component}: {BreakerIssue(breaker)}");
            anyIssue = true;
        }
        foreach (var chain in chains.Where(c => c.IsFallbackActive))
            fallbacks.Add($"{chain.Name} -> {chain.ActiveTier?.Name ?? "no tier"}");
        var canTrade = snapshot.Allows(ActionType.Send);
        var overall = !canTrade ? OverallHealth.Paused
            : snapshot.Mode != SystemMode.Normal || anyIssue || fallbacks.Count > 0 ? OverallHealth.Degraded
            : OverallHealth.FullyOperational;
        return new HealthReport
        {
            Overall = overall, CanTrade = canTrade, Mode = snapshot.Mode, Stage = snapshot.Stage, Reason = snapshot.Reason,
            Components = components, FallbackStrategies = fallbacks, CriticalIssues = critical, OptionalIssues = optional,
            Breakers = breakers, FallbackChains = chains, ClosedScopes = ClosedScopes(),
            GeneratedAt = _stateMachine.TimeProvider.GetUtcNow(),
        };
    }

    private List<ScopeHealth> ClosedScopes()
    {
        var closed = new List<ScopeHealth>();
        if (_stateMachine.Gate.Scopes is not { } tree || tree.Count == 1) return closed;
        foreach (var scope in tree.GetScopes())
        {
            if (scope.IsProcess || scope.IsRemoved) continue;
            var own = scope.StateMachine.Gate.Snapshot;
            if (own.Allows(ActionType.Send)) continue;
            closed.Add(new ScopeHealth
            {
                Path = scope.Path, Level = scope.Level, OwnMode = own.Mode, Stage = own.Stage, Reason = own.Reason,
                EffectiveMode = scope.Snapshot.Mode, Halted = scope.StateMachine.IsHalted, OperatorHalt = scope.StateMachine.OperatorHalt,
            });
        }
        return closed;
    }

    private FallbackStrategyInfo? Strategy(string? name, bool active)
    {
        if (name is null) return null;
        var strategy = _fallbacks?.GetStrategy(name);
        return new FallbackStrategyInfo(name, strategy?.Description, strategy?.Impact, active);
    }

    private bool IsServiceUnavailable(ComponentId component)
    {
        foreach (var runner in _probes.Items)
            if (runner.GetLastObservation(component) is { Status: ProbeStatus.Unhealthy, Transient: true })
                return true;
        return false;
    }

    private static string BreakerIssue(BreakerSnapshot breaker) => breaker.State switch
    {
        BreakerState.Isolated => $"circuit breaker isolated{(breaker.IsolatedBy is null ? "" : " by " + breaker.IsolatedBy)}{(breaker.IsolationReason is null ? "" : ": " + breaker.IsolationReason)}",
        BreakerState.HalfOpen => "circuit breaker half-open (trial calls)",
        _ => "circuit breaker open",
    };

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
