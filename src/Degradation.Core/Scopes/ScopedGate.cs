namespace Degradation.Scopes;

/// <summary>
/// The trading gate of one scope, from <see cref="TradingGate.For"/>: every member reads the scope's effective
/// <see cref="ScopeSnapshot"/> (the strictest of the scope and all its ancestors) with one volatile read. O(1) whatever
/// the size of the tree, no allocation, no lock, never throws.
/// </summary>
public sealed class ScopedGate : ITradingGate
{
    private ScopeSnapshot _snapshot = null!; // published by the scope tree before the scope is handed out

    internal ScopedGate(TradingScope scope) => Scope = scope;

    /// <summary>The scope this gate answers for.</summary>
    public TradingScope Scope { get; }

    /// <summary>The current effective snapshot: read it once to see mode, stage and permissions together.</summary>
    public ScopeSnapshot Snapshot => Volatile.Read(ref _snapshot);

    /// <inheritdoc />
    public bool Allows(ActionType action)
    {
        var snapshot = Volatile.Read(ref _snapshot);
        return (uint)action < 6u && ((snapshot.AllowedMask >> (int)action) & 1) != 0;
    }

    /// <inheritdoc />
    public GateDecision Check(ActionType action) => Volatile.Read(ref _snapshot).Check(action);

    /// <inheritdoc />
    public SystemMode Mode => Volatile.Read(ref _snapshot).Mode;

    /// <inheritdoc />
    public RecoveryStage? Stage => Volatile.Read(ref _snapshot).Stage;

    internal void Publish(ScopeSnapshot snapshot) => Volatile.Write(ref _snapshot, snapshot);
}
