namespace Degradation.Recovery;

/// <summary>How a recovery run ended, as far as the orchestrator is concerned.</summary>
public enum RecoveryRunStatus : byte
{
    /// <summary>Every stage passed; the run is at Ready (the state machine moves it to Normal when stable, or an operator does).</summary>
    Completed = 0,
    /// <summary>A stage failed <see cref="RecoveryOptions.MaxAttempts"/> times: <c>recovery.failed</c> → Halt.</summary>
    Failed = 1,
    /// <summary>A step reported a fatal condition; its event was published (e.g. <c>broker.mismatch</c> → Halt).</summary>
    Fatal = 2,
    /// <summary>The run is no longer the state machine's active run (a newer run, an escalation, an override): its steps were cancelled.</summary>
    Superseded = 3,
    /// <summary>The orchestrator stopped during the run.</summary>
    Stopped = 4,
}
