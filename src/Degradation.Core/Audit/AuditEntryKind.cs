namespace Degradation.Audit;

/// <summary>What an <see cref="AuditEntry"/> records.</summary>
public enum AuditEntryKind : byte
{
    /// <summary>An automatic mode or stage change of the state machine.</summary>
    Transition = 0,
    /// <summary>An operator override started or ended.</summary>
    Override = 1,
    /// <summary>An operator command (release, recovery start/complete, reset, manual failover ...).</summary>
    OperatorAction = 2,
    /// <summary>An approval granted or revoked (e.g. a fallback tier that needs one).</summary>
    Approval = 3,
    /// <summary>A fallback chain changed tier, restoration step or rolled back.</summary>
    Fallback = 4,
    /// <summary>The load level changed.</summary>
    Load = 5,
    /// <summary>The feature degradation level changed.</summary>
    Feature = 6,
    /// <summary>Anything else the application records.</summary>
    Other = 7,
}
