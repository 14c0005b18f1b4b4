namespace Degradation;

/// <summary>
/// The lock-free trading gate. Holds one reference to the current <see cref="GateSnapshot"/>; only the
/// state machine replaces it. Reads are a single volatile load.
/// </summary>
public sealed class TradingGate : ITradingGate
{
    private GateSnapshot _snapshot;

    internal TradingGate(GateSnapshot initial) => _snapshot = initial;

    /// <summary>The current snapshot: read it once to see mode, stage and permissions together.</summary>
    public GateSnapshot Snapshot => Volatile.Read(ref _snapshot);

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

    internal void Publish(GateSnapshot snapshot) => Volatile.Write(ref _snapshot, snapshot);
}
