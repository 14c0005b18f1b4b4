namespace Degradation;

/// <summary>
/// One immutable, consistent view of mode, stage and permissions. The state machine publishes a new
/// snapshot with a single reference write; readers never see a torn combination (rule 10 in docs/RULES.md).
/// </summary>
public sealed class GateSnapshot
{
    private readonly GateDecision[] _decisions;
    private readonly GateDecision _unknownAction;

    internal GateSnapshot(DegradationPolicy policy, SystemMode mode, RecoveryStage? stage, ReasonCode reason, long sequence)
    {
        Mode = mode;
        Stage = mode == SystemMode.Recovering ? stage ?? RecoveryStage.ConnectBroker : null;
        Reason = reason;
        Sequence = sequence;
        var limits = policy.GetLimits(mode);
        AllowedMask = (byte)(PermissionMatrix.AllowedMask(mode, Stage) & ~policy.DeniedMask(mode));
        _decisions = new GateDecision[6];
        for (var i = 0; i < _decisions.Length; i++)
        {
            var action = (ActionType)i;
            var allowed = ((AllowedMask >> i) & 1) != 0;
            _decisions[i] = new GateDecision(allowed, mode, Stage, PermissionMatrix.Advice(mode, Stage, action, allowed), reason, limits);
        }
        _unknownAction = new GateDecision(false, mode, Stage, PermissionMatrix.UnknownActionRejected, reason, limits);
    }

    /// <summary>The mode.</summary>
    public SystemMode Mode { get; }
    /// <summary>The stage (only in Recovering).</summary>
    public RecoveryStage? Stage { get; }
    /// <summary>Why the system is in this mode.</summary>
    public ReasonCode Reason { get; }
    /// <summary>Sequence number of the transition that produced this snapshot.</summary>
    public long Sequence { get; }
    /// <summary>Allowed actions as a bit mask (bit = <see cref="ActionType"/> value).</summary>
    public byte AllowedMask { get; }

    /// <summary>Whether <paramref name="action"/> is allowed in this snapshot.</summary>
    public bool Allows(ActionType action) => (uint)action < 6u && ((AllowedMask >> (int)action) & 1) != 0;

    /// <summary>The preallocated decision for <paramref name="action"/>.</summary>
    public GateDecision Check(ActionType action) => (uint)action < 6u ? _decisions[(int)action] : _unknownAction;
}
