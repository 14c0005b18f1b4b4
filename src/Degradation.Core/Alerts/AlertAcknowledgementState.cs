namespace Degradation.Alerts;

/// <summary>Where an alert that needs acknowledgement stands.</summary>
public enum AlertAcknowledgementState : byte
{
    /// <summary>Waiting for an operator, within its deadline.</summary>
    Pending = 0,
    /// <summary>Past its deadline without acknowledgement: re-sent to the escalation channel, still waiting.</summary>
    Escalated = 1,
    /// <summary>An operator acknowledged it.</summary>
    Acknowledged = 2,
}
