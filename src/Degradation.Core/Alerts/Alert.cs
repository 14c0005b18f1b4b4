namespace Degradation.Alerts;

/// <summary>A notification for people: routed by audience and severity to <see cref="IAlertSink"/>s.</summary>
public sealed record Alert
{
    /// <summary>How urgent.</summary>
    public required Severity Severity { get; init; }
    /// <summary>Who it is for (e.g. "operators", "risk", "engineering").</summary>
    public required string Audience { get; init; }
    /// <summary>One line.</summary>
    public required string Title { get; init; }
    /// <summary>Details.</summary>
    public string? Message { get; init; }
    /// <summary>The component concerned, if any.</summary>
    public ComponentId? Component { get; init; }
    /// <summary>The reason code concerned, if any.</summary>
    public ReasonCode? Reason { get; init; }
    /// <summary>When it was raised (wall clock, from the TimeProvider).</summary>
    public required DateTimeOffset Time { get; init; }
}
