namespace Degradation.Breakers;

/// <summary>A state change of a <see cref="ComponentCircuitBreaker"/>.</summary>
/// <param name="Component">The breaker's component.</param>
/// <param name="From">State before.</param>
/// <param name="To">State after.</param>
/// <param name="Generation">The breaker's generation after the change; it rises by one with each change, in the order observers receive them.</param>
/// <param name="Details">Why (window counts, operator, TTL expiry…).</param>
/// <param name="WallTime">When the change took effect, on the wall clock: for a change due by time, its deadline, not when it was noticed.</param>
public sealed record BreakerStateChange(ComponentId Component, BreakerState From, BreakerState To, int Generation, string Details, DateTimeOffset WallTime);
