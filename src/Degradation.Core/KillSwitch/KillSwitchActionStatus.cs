namespace Degradation.KillSwitches;

/// <summary>Where one kill-switch action run stands.</summary>
public enum KillSwitchActionStatus : byte
{
    /// <summary>Started, not finished.</summary>
    Running = 0,
    /// <summary>Completed without error.</summary>
    Succeeded = 1,
    /// <summary>Threw (see <see cref="KillSwitchActionOutcome.Details"/>).</summary>
    Failed = 2,
    /// <summary>Did not finish within the timeout and was cancelled.</summary>
    TimedOut = 3,
}
