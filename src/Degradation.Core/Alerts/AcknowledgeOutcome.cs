namespace Degradation.Alerts;

/// <summary>What <see cref="AlertRouter.Acknowledge"/> did.</summary>
public enum AcknowledgeOutcome : byte
{
    /// <summary>The alert was waiting and is now acknowledged (audited).</summary>
    Acknowledged = 0,
    /// <summary>Someone had already acknowledged it; nothing changed.</summary>
    AlreadyAcknowledged = 1,
    /// <summary>No tracked alert has that id (unknown, needs no acknowledgement, or forgotten from the history).</summary>
    NotFound = 2,
}
