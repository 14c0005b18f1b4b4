namespace Degradation.Breakers;

/// <summary>Creates component circuit breakers wired to a <see cref="DegradationSystem"/>.</summary>
public static class DegradationSystemBreakerExtensions
{
    /// <summary>Creates a breaker for <paramref name="component"/> that publishes on <paramref name="system"/>'s bus and uses its clock.</summary>
    public static ComponentCircuitBreaker CreateCircuitBreaker(this DegradationSystem system, ComponentId component, ComponentBreakerOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(system);
        return new ComponentCircuitBreaker(component, options ?? new ComponentBreakerOptions(), system.Policy, system.Bus, system.TimeProvider);
    }
}
