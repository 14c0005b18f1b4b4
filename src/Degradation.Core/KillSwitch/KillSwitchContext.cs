namespace Degradation.KillSwitches;

/// <summary>What a <see cref="IKillSwitchAction"/> is told about the Halt it runs for.</summary>
public sealed class KillSwitchContext
{
    /// <summary>Creates a context for <paramref name="haltTransition"/>.</summary>
    public KillSwitchContext(ModeTransition haltTransition)
    {
        ArgumentNullException.ThrowIfNull(haltTransition);
        HaltTransition = haltTransition;
    }

    /// <summary>The transition that entered Halt.</summary>
    public ModeTransition HaltTransition { get; }

    /// <summary>The reason code of the Halt (e.g. <c>operator.halt</c>, <c>broker.mismatch</c>).</summary>
    public ReasonCode Reason => HaltTransition.Reason;

    /// <summary>The operator's reason, or the event's details, if any.</summary>
    public string? Details => HaltTransition.Details;

    /// <summary>The operator who halted, or null for an automatic Halt.</summary>
    public string? OperatorId => HaltTransition.OperatorId;

    /// <summary>Wall time the Halt was entered.</summary>
    public DateTimeOffset Time => HaltTransition.WallTime;

    /// <summary>Sequence of the transition that entered Halt.</summary>
    public long HaltSequence => HaltTransition.Sequence;
}
