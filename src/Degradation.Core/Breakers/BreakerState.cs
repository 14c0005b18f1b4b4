namespace Degradation.Breakers;

/// <summary>The state of a <see cref="ComponentCircuitBreaker"/>.</summary>
public enum BreakerState : byte
{
    /// <summary>Calls go through; outcomes are counted in the sliding window.</summary>
    Closed = 0,
    /// <summary>Calls are refused until the break duration has passed; then the breaker goes half-open on its own.</summary>
    Open = 1,
    /// <summary>A limited number of trial calls go through; all succeeding closes the breaker, one failing reopens it.</summary>
    HalfOpen = 2,
    /// <summary>Opened by an operator: calls are refused until a reset, or until the isolation's TTL ends (then half-open).</summary>
    Isolated = 3,
}
