namespace Degradation.Breakers;

/// <summary>
/// The state machine shared by every breaker (the component circuit breaker and the fallback tiers' breakers): Closed,
/// Open, HalfOpen and Isolated, a generation per state, the deadline of the next change due by time, and half-open
/// trial slots each with its own deadline. The owner decides when to open (a failure ratio, a failure run); the core
/// keeps the timing rules:
/// <list type="bullet">
/// <item>every change due by time (Open → HalfOpen, an isolation's end, a half-open trial that did not report in time →
/// Open) is applied by <see cref="ApplyDue"/>, whoever calls it first (a read, an admission, a report or a timer), and is
/// dated to its deadline, never to when it was noticed, cascading when several fell due;</item>
/// <item>deadlines are integer timestamp ticks rounded up and saturating (<see cref="BreakerTime"/>);</item>
/// <item>a trial's deadline runs from its admission;</item>
/// <item>every change is complete before it is reported to the owner's sink, and nothing can fail half-way.</item>
/// </list>
/// Not thread-safe by itself: every mutating member must be called holding <see cref="Sync"/> (the owner's lock);
/// <see cref="State"/>, <see cref="Generation"/> and <see cref="DueAt"/> may be read without it.
/// </summary>
internal sealed class BreakerCore
{
    private const long FreeSlot = long.MinValue;
    private const long SucceededSlot = long.MaxValue;

    private readonly long _breakTicks;
    private readonly long _trialTimeoutTicks;
    private readonly long[] _trials;
    private readonly Action<BreakerTransition>? _onTransition;
    private int _state;
    private int _generation = 1;
    private long _dueAt = BreakerTime.Never;
    private int _trialsSucceeded;

    /// <param name="sync">The owner's lock, held around every mutating call.</param>
    /// <param name="breakTicks">How long Open lasts, in timestamp ticks.</param>
    /// <param name="trialCalls">Trial calls admitted while half-open; all must succeed to close.</param>
    /// <param name="trialTimeoutTicks">How long an admitted trial may take to report before the breaker reopens; <see cref="BreakerTime.Never"/> for no limit.</param>
    /// <param name="onTransition">Called (under the lock) after each change, in order.</param>
    public BreakerCore(object sync, long breakTicks, int trialCalls, long trialTimeoutTicks, Action<BreakerTransition>? onTransition)
    {
        ArgumentNullException.ThrowIfNull(sync);
        ArgumentOutOfRangeException.ThrowIfNegative(breakTicks);
        ArgumentOutOfRangeException.ThrowIfLessThan(trialCalls, 1);
        ArgumentOutOfRangeException.ThrowIfNegative(trialTimeoutTicks);
        Sync = sync;
        _breakTicks = breakTicks;
        _trialTimeoutTicks = trialTimeoutTicks;
        _trials = new long[trialCalls];
        _trials.AsSpan().Fill(FreeSlot);
        _onTransition = onTransition;
    }

    /// <summary>The lock every mutating call must hold.</summary>
    public object Sync { get; }

    /// <summary>The state as last changed (a change due by time may be pending until <see cref="ApplyDue"/>).</summary>
    public BreakerState State => (BreakerState)Volatile.Read(ref _state);

    /// <summary>Incremented by every change (and by <see cref="Retire"/>); permits of an older generation are stale.</summary>
    public int Generation => Volatile.Read(ref _generation);

    /// <summary>When the next change due by time falls due; <see cref="BreakerTime.Never"/> when none is scheduled.</summary>
    public long DueAt => Volatile.Read(ref _dueAt);

    /// <summary>True when a change is due at <paramref name="now"/> (readable without the lock).</summary>
    public bool IsDue(long now) => now >= Volatile.Read(ref _dueAt);

    /// <summary>Trial calls admitted per half-open period.</summary>
    public int TrialCalls => _trials.Length;

    /// <summary>The operator who isolated the breaker, while isolated.</summary>
    public string? IsolatedBy { get; private set; }

    /// <summary>Why it was isolated, while isolated.</summary>
    public string? IsolationReason { get; private set; }

    /// <summary>How often it opened or was isolated.</summary>
    public long TimesOpened { get; private set; }

    /// <summary>Applies every change that is due at <paramref name="now"/>, each dated to its deadline. Returns how many.</summary>
    public int ApplyDue(long now)
    {
        var applied = 0;
        while (now >= _dueAt)
        {
            var due = _dueAt;
            switch ((BreakerState)_state)
            {
                case BreakerState.Open:
                    Change(BreakerState.HalfOpen, due, BreakerTime.Never, "break duration elapsed");
                    break;
                case BreakerState.Isolated:
                    Change(BreakerState.HalfOpen, due, BreakerTime.Never, $"isolation by {IsolatedBy} expired");
                    break;
                case BreakerState.HalfOpen:
                    Change(BreakerState.Open, due, BreakerTime.After(due, _breakTicks), "a half-open trial call did not report in time");
                    break;
                default:
                    Volatile.Write(ref _dueAt, BreakerTime.Never); // Closed has no deadline; defensive
                    return applied;
            }
            applied++;
        }
        return applied;
    }

    /// <summary>Opens (from any state) at <paramref name="at"/> for the break duration.</summary>
    public BreakerTransition Open(long at, string details) => Change(BreakerState.Open, at, BreakerTime.After(at, _breakTicks), details);

    /// <summary>Closes (from any state, Closed included: the generation still moves on) at <paramref name="at"/>.</summary>
    public BreakerTransition Close(long at, string details) => Change(BreakerState.Closed, at, BreakerTime.Never, details);

    /// <summary>Isolates at <paramref name="at"/> until <paramref name="until"/> (<see cref="BreakerTime.Never"/>: until closed).</summary>
    public BreakerTransition Isolate(long at, long until, string operatorId, string reason, string details) =>
        Change(BreakerState.Isolated, at, until, details, operatorId, reason);

    /// <summary>
    /// Admits a trial call at <paramref name="now"/> if the breaker is half-open (after applying due changes) and a slot is
    /// free; the trial must report before <paramref name="now"/> plus the trial timeout.
    /// </summary>
    public bool TryAdmitTrial(long now, out int generation, out int slot)
    {
        ApplyDue(now);
        generation = _generation;
        slot = -1;
        if (_state != (int)BreakerState.HalfOpen) return false;
        slot = Array.IndexOf(_trials, FreeSlot);
        if (slot < 0) return false;
        var deadline = BreakerTime.After(now, _trialTimeoutTicks);
        _trials[slot] = deadline;
        if (deadline < _dueAt) Volatile.Write(ref _dueAt, deadline);
        return true;
    }

    /// <summary>
    /// The outcome of trial <paramref name="slot"/> of <paramref name="generation"/>, reported at <paramref name="now"/>:
    /// due changes first (a trial reporting after its deadline is too late), then a failure reopens, and the last
    /// success closes. Stale reports are ignored.
    /// </summary>
    public void RecordTrial(int generation, int slot, bool success, long now)
    {
        ApplyDue(now);
        if (generation != _generation || _state != (int)BreakerState.HalfOpen || (uint)slot >= (uint)_trials.Length) return;
        if (_trials[slot] is FreeSlot or SucceededSlot) return;
        if (!success)
        {
            Open(now, "a half-open trial call failed");
            return;
        }
        _trials[slot] = SucceededSlot;
        if (++_trialsSucceeded == _trials.Length)
        {
            Close(now, $"{_trials.Length} half-open trial call(s) succeeded");
            return;
        }
        Volatile.Write(ref _dueAt, EarliestTrialDeadline());
    }

    /// <summary>Gives back the slot of a trial that will not report (its caller gave up): another call may take it.</summary>
    public void ReleaseTrial(int generation, int slot, long now)
    {
        ApplyDue(now);
        if (generation != _generation || _state != (int)BreakerState.HalfOpen || (uint)slot >= (uint)_trials.Length) return;
        if (_trials[slot] is FreeSlot or SucceededSlot) return;
        _trials[slot] = FreeSlot;
        Volatile.Write(ref _dueAt, EarliestTrialDeadline());
    }

    /// <summary>Moves the generation on without a state change (disposal): every permit and timer becomes stale.</summary>
    public void Retire()
    {
        Interlocked.Increment(ref _generation);
        Volatile.Write(ref _dueAt, BreakerTime.Never);
    }

    private long EarliestTrialDeadline()
    {
        var earliest = BreakerTime.Never;
        foreach (var deadline in _trials)
            if (deadline != FreeSlot && deadline < earliest) earliest = deadline;
        return earliest;
    }

    private BreakerTransition Change(BreakerState to, long at, long dueAt, string details, string? isolatedBy = null, string? isolationReason = null)
    {
        var from = (BreakerState)_state;
        _trials.AsSpan().Fill(FreeSlot);
        _trialsSucceeded = 0;
        IsolatedBy = isolatedBy;
        IsolationReason = isolationReason;
        if (to is BreakerState.Open or BreakerState.Isolated) TimesOpened++;
        // Generation before state: a lock-free reader that sees the new state also sees the new generation.
        var generation = Interlocked.Increment(ref _generation);
        Volatile.Write(ref _dueAt, dueAt);
        Volatile.Write(ref _state, (int)to);
        var transition = new BreakerTransition(from, to, generation, at, details);
        _onTransition?.Invoke(transition);
        return transition;
    }
}
