namespace Degradation.Operator;

/// <summary>Why an operator command was refused (<see cref="None"/> when it was accepted).</summary>
public enum OperatorRefusal : byte
{
    /// <summary>The command was accepted.</summary>
    None = 0,
    /// <summary>
    /// The command named a transition sequence (<c>expectedSequence</c>) that is no longer the current one:
    /// someone or something changed the state since the operator looked. Look again and resend.
    /// </summary>
    SequenceMismatch = 1,
    /// <summary>The command would leave the gate less strict than the active conditions require; it must acknowledge them.</summary>
    AcknowledgementRequired = 2,
    /// <summary>The acknowledged reasons are not exactly the reasons of the conditions that stand in the way now.</summary>
    StaleAcknowledgement = 3,
    /// <summary>The system is halted: only a Halt release leaves Halt.</summary>
    HaltActive = 4,
    /// <summary>A Halt release was asked for, but nothing is halted.</summary>
    NotHalted = 5,
    /// <summary>An override release was asked for, but no override is active.</summary>
    NoOverride = 6,
    /// <summary>The new operator state could not be written durably, so the command was not applied.</summary>
    NotPersisted = 7,
}
