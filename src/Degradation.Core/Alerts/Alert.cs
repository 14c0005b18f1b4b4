namespace Degradation.Alerts;

/// <summary>
/// A notification for people: routed by audience and severity to <see cref="IAlertSink"/>s (or to one named channel),
/// numbered by the router, and — at a severity with an acknowledgement deadline — tracked until an operator
/// acknowledges it (see <see cref="AlertChannelOptions"/>).
/// </summary>
public sealed record Alert
{
    /// <summary>The router's number for it, assigned when it is published (0 before).</summary>
    public long Id { get; init; }
    /// <summary>
    /// When set, only the routes of this channel (see <see cref="AlertRouter.AddChannel"/>) take it, whatever their audience
    /// and severity; <see cref="AlertRouter.AllChannels"/> sends it to every route; a name no route has falls back to
    /// ordinary routing. Null (the default): routed by audience and severity.
    /// </summary>
    public string? Channel { get; init; }
    /// <summary>For an escalation, the <see cref="Id"/> of the unacknowledged alert it escalates; null otherwise.</summary>
    public long? EscalationOf { get; init; }
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
