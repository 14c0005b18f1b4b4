namespace Degradation.Operator;

/// <summary>
/// Stands in for a scope's store when the process's store could not provide one: loading fails, so the scope starts
/// halted with the error in the Halt's reason. Saving a Halt or an override fails too (nothing pretends to be durable);
/// saving "nothing in force" is let through so an operator can still release the scope. A release is then not stored: if
/// the real store holds a Halt, the next start restores it, which errs on the closed side.
/// </summary>
internal sealed class UnreadableOperatorStateStore(string scopePath, Exception error) : IOperatorStateStore
{
    public OperatorState? Load() => throw new InvalidOperationException(Message, error);

    public void Save(OperatorState state)
    {
        ArgumentNullException.ThrowIfNull(state);
        if (state.Halt is null && state.Override is null) return;
        throw new InvalidOperationException(Message, error);
    }

    public IOperatorStateStore ForScope(string path) => new UnreadableOperatorStateStore(path, error);

    private string Message => $"no operator state store for scope '{scopePath}' ({error.GetType().Name}: {error.Message})";
}
