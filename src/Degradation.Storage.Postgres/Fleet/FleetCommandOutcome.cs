using Degradation.State;

namespace Degradation.Storage.Postgres;

/// <summary>What a process did with a fleet command (stored in <c>fleet_policy_applied.outcome</c>).</summary>
public enum FleetCommandOutcome : byte
{
    /// <summary>The override was installed through <see cref="DegradationStateMachine.ForceMode"/>.</summary>
    Applied = 0,
    /// <summary>The fleet's override was ended through <see cref="DegradationStateMachine.ReleaseOverride"/>.</summary>
    Released = 1,
    /// <summary>A release found no override installed by the fleet (none, or a local operator's own override, which is kept).</summary>
    NothingToRelease = 2,
    /// <summary>The command's TTL had (nearly) run out when the process read it.</summary>
    Expired = 3,
    /// <summary>The state machine refused the command (the details say why).</summary>
    Rejected = 4,
    /// <summary>The command targets a scope this process has not configured (nothing to halt or release here).</summary>
    ScopeNotConfigured = 5,
}
