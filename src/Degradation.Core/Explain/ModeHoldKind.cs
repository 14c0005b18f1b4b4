namespace Degradation.Explain;

/// <summary>What kind of thing keeps the system from Normal (see <see cref="ModeHold"/>).</summary>
public enum ModeHoldKind
{
    /// <summary>An operator threw the kill switch; only releasing the Halt ends it.</summary>
    OperatorHalt,

    /// <summary>An operator override holds the mode until it expires or is released.</summary>
    Override,

    /// <summary>An active condition (a reported failure) of a component, with its source.</summary>
    Condition,

    /// <summary>A critical component has never reported: nothing trades until it does (add a probe, or mark it optional).</summary>
    NeverReported,

    /// <summary>A component reported once and then went silent past its status TTL (Unknown).</summary>
    Stale,

    /// <summary>SafeMode or SafeModeDisconnected must last its minimum dwell before recovery starts.</summary>
    SafeModeDwell,

    /// <summary>The conditions are gone, but the system must stay quiet for the stability time first.</summary>
    Stability,

    /// <summary>A recovery run is in progress and waits for its current stage's steps.</summary>
    RecoveryStage,

    /// <summary>Recovering/Ready waits for an operator to complete recovery (automatic completion is off).</summary>
    AwaitingCompletion,
}
