namespace Degradation.Alerts;

/// <summary>An alert that needs acknowledgement, with its deadline and what became of it.</summary>
public sealed record TrackedAlert
{
    /// <summary>The alert (its <see cref="Alert.Id"/> is what <see cref="AlertRouter.Acknowledge"/> takes).</summary>
    public required Alert Alert { get; init; }
    /// <summary>Where it stands.</summary>
    public required AlertAcknowledgementState State { get; init; }
    /// <summary>When it must be acknowledged by (published time plus the severity's acknowledgement SLA).</summary>
    public required DateTimeOffset Deadline { get; init; }
    /// <summary>When it escalated, if it did.</summary>
    public DateTimeOffset? EscalatedAt { get; init; }
    /// <summary>The escalation's alert id, if it escalated.</summary>
    public long? EscalationId { get; init; }
    /// <summary>Who acknowledged it.</summary>
    public string? AcknowledgedBy { get; init; }
    /// <summary>When it was acknowledged.</summary>
    public DateTimeOffset? AcknowledgedAt { get; init; }
    /// <summary>The operator's note, if any.</summary>
    public string? Note { get; init; }
    /// <summary>True once acknowledged.</summary>
    public bool IsAcknowledged => State == AlertAcknowledgementState.Acknowledged;
}
