using Degradation.Events;

namespace Degradation.AspNetCore.Contracts;

/// <summary>An alert that needs acknowledgement, with its deadline and what became of it.</summary>
public sealed class AlertResponse
{
    /// <summary>The alert's number (what POST <c>alerts/{id}/acknowledge</c> takes).</summary>
    public required long Id { get; init; }
    /// <summary><c>info</c>, <c>warning</c> or <c>critical</c>.</summary>
    public required string Severity { get; init; }
    /// <summary>Who it is for.</summary>
    public required string Audience { get; init; }
    /// <summary>One line.</summary>
    public required string Title { get; init; }
    /// <summary>Details, or null.</summary>
    public string? Message { get; init; }
    /// <summary>The component concerned, or null.</summary>
    public string? Component { get; init; }
    /// <summary>The reason code concerned, or null.</summary>
    public string? Reason { get; init; }
    /// <summary>When it was raised.</summary>
    public required DateTimeOffset Time { get; init; }
    /// <summary><c>pending</c>, <c>escalated</c> or <c>acknowledged</c>.</summary>
    public required string State { get; init; }
    /// <summary>When it must be acknowledged by.</summary>
    public required DateTimeOffset Deadline { get; init; }
    /// <summary>When it escalated, or null.</summary>
    public DateTimeOffset? EscalatedAt { get; init; }
    /// <summary>Who acknowledged it, or null.</summary>
    public string? AcknowledgedBy { get; init; }
    /// <summary>When it was acknowledged, or null.</summary>
    public DateTimeOffset? AcknowledgedAt { get; init; }
    /// <summary>The acknowledging operator's note, or null.</summary>
    public string? Note { get; init; }
}
