namespace Degradation;

/// <summary>
/// A small consecutive-failure breaker for one tier of a fallback chain (the full component breaker lives in
/// Breakers/). Counting is lock-free; opening, trials and closing happen under the chain's lock.
/// </summary>
internal sealed class TierBreaker
{
    private const int Closed = 0, Open = 1, Trial = 2;

    private readonly int _threshold;
    private int _consecutiveFailures;
    private int _state;
    private long _openedAt;
    private long _answered;
    private long _failures;

    public TierBreaker(int threshold) => _threshold = threshold;

    public bool IsClosed => Volatile.Read(ref _state) == Closed;
    public bool IsBroken => Volatile.Read(ref _state) != Closed;
    public int ConsecutiveFailures => Volatile.Read(ref _consecutiveFailures);
    public long Answered => Interlocked.Read(ref _answered);
    public long Failures => Interlocked.Read(ref _failures);
    public long OpenedAt => Volatile.Read(ref _openedAt);

    /// <summary>Resets the failure run; writes only when there is one, so the hot path does not dirty a shared cache line.</summary>
    public void RecordSuccess()
    {
        if (Volatile.Read(ref _consecutiveFailures) != 0) Volatile.Write(ref _consecutiveFailures, 0);
    }

    public void CountAnswer() => Interlocked.Increment(ref _answered);

    /// <summary>Counts a failure; true when the run reached the threshold.</summary>
    public bool RecordFailure()
    {
        Interlocked.Increment(ref _failures);
        return Interlocked.Increment(ref _consecutiveFailures) >= _threshold;
    }

    public void Trip(long now)
    {
        Volatile.Write(ref _openedAt, now);
        Volatile.Write(ref _consecutiveFailures, 0);
        Volatile.Write(ref _state, Open);
    }

    public void Reset()
    {
        Volatile.Write(ref _consecutiveFailures, 0);
        Volatile.Write(ref _state, Closed);
    }

    /// <summary>Lets exactly one caller through once the break has lasted <paramref name="breakDuration"/>.</summary>
    public bool TryBeginTrial(TimeProvider time, long now, TimeSpan breakDuration) =>
        Volatile.Read(ref _state) == Open
        && time.GetElapsedTime(Volatile.Read(ref _openedAt), now) >= breakDuration
        && Interlocked.CompareExchange(ref _state, Trial, Open) == Open;
}
