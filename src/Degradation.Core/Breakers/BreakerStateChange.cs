namespace Degradation;

/// <summary>A state change of a <see cref="ComponentCircuitBreaker"/>.</summary>
/// <param name="Component">The breaker's component.</param>
/// <param name="From">State before.</param>
/// <param name="To">State after.</param>
/// <param name="Generation">The breaker's generation after the change.</param>
/// <param name="Details">Why (window counts, operator, TTL expiry…).</param>
/// <param name="WallTime">When, for display.</param>
public sealed record BreakerStateChange(ComponentId Component, BreakerState From, BreakerState To, int Generation, string Details, DateTimeOffset WallTime);
