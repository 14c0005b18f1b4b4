namespace Degradation.Operator;

/// <summary>
/// What a store without scope support gives a scope: nothing stored, so nothing to restore. Saving "nothing in force"
/// succeeds (a restart finds nothing, which is that state), so a release goes through; saving a Halt or an override
/// fails with a message naming the store and the scope: the Halt then holds in memory and says it is not durable, an
/// override is refused.
/// </summary>
internal sealed class UnscopedOperatorStateStore(string storeName, string scopePath) : IOperatorStateStore
{
    public OperatorState? Load() => null;

    public void Save(OperatorState state)
    {
        ArgumentNullException.ThrowIfNull(state);
        if (state.Halt is null && state.Override is null) return;
        throw new NotSupportedException($"{storeName} keeps only the process's operator state; the state of scope '{scopePath}' cannot be stored (implement IOperatorStateStore.ForScope).");
    }

    public IOperatorStateStore ForScope(string path) => new UnscopedOperatorStateStore(storeName, path);
}
