namespace Degradation.Operator;

/// <summary>
/// Durable home of the operator's decisions (an operator Halt and the active override) so that a restart or a
/// crash cannot open the gate an operator shut. The state machine loads it once, while it is being built and
/// before its gate exists, and saves it inside an operator command, before the command is acknowledged.
/// Implementations must make <see cref="Save"/> durable when it returns (fsync or a committed transaction) and
/// throw when they cannot: the command is then refused (or, for a Halt, reported as not durable).
/// Both methods are called under the state machine's lock, rarely, and must not call back into it.
/// </summary>
public interface IOperatorStateStore
{
    /// <summary>The stored state, or null when nothing was ever stored.</summary>
    /// <exception cref="Exception">The state exists but cannot be read; the state machine then starts halted.</exception>
    OperatorState? Load();

    /// <summary>Replaces the stored state, durably, before returning.</summary>
    void Save(OperatorState state);
}
