namespace Degradation.Operator;

/// <summary>
/// Durable home of the operator's decisions (an operator Halt and the active override) so that a restart or a
/// crash cannot open the gate an operator shut. The state machine loads it once, while it is being built and
/// before its gate exists, and saves it inside an operator command, before the command is acknowledged.
/// Implementations must make <see cref="Save"/> durable when it returns (fsync or a committed transaction) and
/// throw when they cannot: the command is then refused (or, for a Halt, reported as not durable).
/// Both methods are called under the state machine's lock, rarely, and must not call back into it.
/// <para>
/// Scopes: each scope below the process (a venue, an account, a strategy) keeps its own operator state in the
/// store that <see cref="ForScope"/> returns, so a halted account is still halted after a restart.
/// </para>
/// </summary>
public interface IOperatorStateStore
{
    /// <summary>The stored state, or null when nothing was ever stored.</summary>
    /// <exception cref="Exception">The state exists but cannot be read; the state machine then starts halted.</exception>
    OperatorState? Load();

    /// <summary>Replaces the stored state, durably, before returning.</summary>
    void Save(OperatorState state);

    /// <summary>
    /// The store that keeps the operator state of the scope at <paramref name="scopePath"/> (e.g. <c>"venue-a/acct-1"</c>),
    /// separately from the process's and every other scope's. Called once when the scope is added; the scope's state
    /// machine then loads it before the scope's gate exists (a stored Halt closes the scope from its first check; a
    /// store that cannot be read starts the scope halted).
    /// </summary>
    /// <remarks>
    /// The default implementation is for stores written before scopes existed: it stores nothing and fails every
    /// save, so a scope's Halt holds in this process but is reported as not durable and its overrides are refused,
    /// never silently lost on a restart. The file and PostgreSQL stores keep scope state durably.
    /// </remarks>
    /// <param name="scopePath">The scope's path: one to three names of ASCII letters, digits, '-', '_' and '.', separated by '/'.</param>
    IOperatorStateStore ForScope(string scopePath) => new UnscopedOperatorStateStore(GetType().Name, scopePath);
}
