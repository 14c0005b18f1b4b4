namespace Degradation;

/// <summary>
/// The lock-free trading gate. Holds one reference to the current <see cref="GateSnapshot"/>; only the
/// state machine replaces it. Reads are a single volatile load.
/// </summary>
public sealed class TradingGate : ITradingGate
{
    private const int ActionCount = 6;
    private GateSnapshot _snapshot;
    // Refusals per (mode, action), only when DegradationOptions.CountGateDenials is on. Plain increments on
    // the refusal path: approximate under heavy contention (a lost increment is possible), no interlocked op.
    private readonly long[] _denials = new long[6 * ActionCount];
    private readonly bool _countDenials;

    internal TradingGate(GateSnapshot initial, bool countDenials = false)
    {
        _snapshot = initial;
        _countDenials = countDenials;
    }

    /// <summary>Whether refusals are counted (<see cref="DegradationOptions.CountGateDenials"/>).</summary>
    public bool CountsDenials => _countDenials;

    /// <summary>The current snapshot: read it once to see mode, stage and permissions together.</summary>
    public GateSnapshot Snapshot => Volatile.Read(ref _snapshot);

    /// <inheritdoc />
    public bool Allows(ActionType action)
    {
        var snapshot = Volatile.Read(ref _snapshot);
        if ((uint)action < 6u && ((snapshot.AllowedMask >> (int)action) & 1) != 0) return true;
        if (_countDenials) CountDenial(snapshot.Mode, action);
        return false;
    }

    /// <inheritdoc />
    public GateDecision Check(ActionType action)
    {
        var snapshot = Volatile.Read(ref _snapshot);
        if (_countDenials && !snapshot.Allows(action)) CountDenial(snapshot.Mode, action);
        return snapshot.Check(action);
    }

    /// <summary>How many times <paramref name="action"/> was refused in <paramref name="mode"/> (approximate under contention; 0 unless <see cref="CountsDenials"/>).</summary>
    public long GetDenials(SystemMode mode, ActionType action) =>
        (uint)mode < 6u && (uint)action < ActionCount ? Volatile.Read(ref _denials[(int)mode * ActionCount + (int)action]) : 0;

    private void CountDenial(SystemMode mode, ActionType action)
    {
        if ((uint)action < ActionCount) _denials[(int)mode * ActionCount + (int)action]++;
    }

    /// <inheritdoc />
    public SystemMode Mode => Volatile.Read(ref _snapshot).Mode;

    /// <inheritdoc />
    public RecoveryStage? Stage => Volatile.Read(ref _snapshot).Stage;

    internal void Publish(GateSnapshot snapshot) => Volatile.Write(ref _snapshot, snapshot);
}
