namespace Degradation.Operator;

/// <summary>
/// What the state machine decided about one operator command. Refusals are results, not exceptions: the
/// caller shows <see cref="Message"/> and <see cref="ActiveConditions"/> and, if it still wants to, resends
/// with the right acknowledgement and the current <see cref="CurrentSequence"/>.
/// </summary>
public sealed class OperatorCommandResult
{
    internal OperatorCommandResult(bool accepted, ModeTransition? transition, OperatorRefusal refusal, string message,
        long currentSequence, IReadOnlyList<ConditionInfo> activeConditions, bool durable)
    {
        Accepted = accepted;
        Transition = transition;
        Refusal = refusal;
        Message = message;
        CurrentSequence = currentSequence;
        ActiveConditions = activeConditions;
        Durable = durable;
    }

    /// <summary>True when the command was applied.</summary>
    public bool Accepted { get; }

    /// <summary>The transition the command made (the last one when it made several), or null when it made none.</summary>
    public ModeTransition? Transition { get; }

    /// <summary>Why the command was refused; <see cref="OperatorRefusal.None"/> when it was accepted.</summary>
    public OperatorRefusal Refusal { get; }

    /// <summary>Human text saying what happened, with wire names for modes and reasons.</summary>
    public string Message { get; }

    /// <summary>The sequence of the last transition when the command was decided (what <c>expectedSequence</c> is compared with).</summary>
    public long CurrentSequence { get; }

    /// <summary>
    /// For a refusal, the conditions that stand in the way; for an accepted command, every active condition
    /// after it was applied.
    /// </summary>
    public IReadOnlyList<ConditionInfo> ActiveConditions { get; }

    /// <summary>
    /// True when the operator state this command produced is stored durably (or needs no storing). False only
    /// for a Halt that is in force in this process but could not be written to the operator state store.
    /// </summary>
    public bool Durable { get; }

    /// <inheritdoc />
    public override string ToString() => Accepted ? $"accepted: {Message}" : $"refused ({Refusal}): {Message}";
}
