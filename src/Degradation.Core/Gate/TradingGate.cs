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
    private ScopeTree? _scopes;
    private IGatePublishHook? _publishHook;

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

    /// <summary>
    /// The scope at <paramref name="path"/> (e.g. <c>"venue-a/acct-1/strat-x"</c>, <c>""</c> for the process), configured with
    /// <see cref="DegradationSystem.Scopes"/>. Resolve once; check per order with <see cref="For"/>.
    /// </summary>
    /// <exception cref="ArgumentException">The path is malformed or not configured.</exception>
    /// <exception cref="InvalidOperationException">This gate has no scope tree (a state machine built without <see cref="DegradationSystem"/>).</exception>
    public TradingScope Resolve(string path) =>
        (_scopes ?? throw new InvalidOperationException("This gate has no scopes; create the system with DegradationSystem.Create to use them.")).Resolve(path);

    /// <summary>The effective gate of <paramref name="scope"/>: the strictest of the scope and all its ancestors. O(1), no allocation.</summary>
    /// <exception cref="ArgumentNullException"><paramref name="scope"/> is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="scope"/> belongs to another system.</exception>
    public ScopedGate For(TradingScope scope)
    {
        ArgumentNullException.ThrowIfNull(scope);
        if (!ReferenceEquals(scope.Tree, _scopes)) ThrowForeignScope(scope);
        return scope.Gate;
    }

    private static void ThrowForeignScope(TradingScope scope) =>
        throw new ArgumentException($"Scope '{scope.DisplayPath}' belongs to another system's gate.", nameof(scope));

    /// <summary>The scope tree this gate is the process scope of (null for a state machine built without a system).</summary>
    internal ScopeTree? Scopes => _scopes;

    /// <summary>Routes every later publication through <paramref name="hook"/>; called once, before the gate is shared.</summary>
    internal void AttachScopes(ScopeTree scopes, IGatePublishHook hook)
    {
        _scopes = scopes;
        _publishHook = hook;
    }

    internal void Publish(GateSnapshot snapshot)
    {
        // With scopes, the tree publishes this snapshot itself, ordered with the scopes' effective snapshots.
        if (_publishHook is { } hook) hook.Publish(this, snapshot);
        else Volatile.Write(ref _snapshot, snapshot);
    }

    /// <summary>Writes the snapshot; only the state machine's publication or the scope tree's propagation calls it.</summary>
    internal void Write(GateSnapshot snapshot) => Volatile.Write(ref _snapshot, snapshot);
}
