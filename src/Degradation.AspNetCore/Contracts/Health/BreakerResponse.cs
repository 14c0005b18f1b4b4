namespace Degradation.AspNetCore.Contracts;

/// <summary>One circuit breaker in the health report.</summary>
public sealed class BreakerResponse
{
    /// <summary>The component it guards.</summary>
    public required string Component { get; init; }
    /// <summary><c>closed</c>, <c>open</c>, <c>half_open</c> or <c>isolated</c>.</summary>
    public required string State { get; init; }
    /// <summary>Calls in the current window.</summary>
    public required long WindowCalls { get; init; }
    /// <summary>Failures in the current window.</summary>
    public required long WindowFailures { get; init; }
    /// <summary>How often it opened (isolations included).</summary>
    public required long TimesOpened { get; init; }
    /// <summary>When an open breaker goes half-open on its own, or null.</summary>
    public DateTimeOffset? ReopensAt { get; init; }
    /// <summary>The operator who isolated it, or null.</summary>
    public string? IsolatedBy { get; init; }
    /// <summary>Why it was isolated, or null.</summary>
    public string? IsolationReason { get; init; }
}
