namespace Degradation.Fallback;

/// <summary>What a <see cref="FallbackTransition"/> records.</summary>
public enum FallbackTransitionKind : byte
{
    /// <summary>The active tier moved to a later (lower-quality) tier.</summary>
    FailedOver = 0,
    /// <summary>The active tier moved back to an earlier tier other than the primary.</summary>
    FailedBack = 1,
    /// <summary>No tier is usable.</summary>
    Exhausted = 2,
    /// <summary>A tier broke after consecutive failures.</summary>
    TierBroken = 3,
    /// <summary>The primary's restoration ramp started.</summary>
    RestorationStarted = 4,
    /// <summary>The ramp passed validation and moved to its next step.</summary>
    RampAdvanced = 5,
    /// <summary>The restoration was rolled back (error spike or consecutive failures).</summary>
    RolledBack = 6,
    /// <summary>The primary serves all traffic again.</summary>
    Restored = 7,
    /// <summary>Traffic reached a tier that needs an approval it does not have.</summary>
    ApprovalRequested = 8,
    /// <summary>An operator approved a tier.</summary>
    ApprovalGranted = 9,
    /// <summary>An operator revoked a tier's approval.</summary>
    ApprovalRevoked = 10,
    /// <summary>An operator forced the primary out of service.</summary>
    ManualFailover = 11,
}
