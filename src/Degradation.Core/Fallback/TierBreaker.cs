namespace Degradation.Fallback;

/// <summary>
/// The breaker of one tier of a fallback chain: a consecutive-failure trigger on the breaker core shared with
/// <see cref="ComponentCircuitBreaker"/>, so tiers follow the same timing rules (integer deadlines rounded up and
/// saturating, changes due by time applied by whoever looks first and dated to their deadline, a trial's deadline running
/// from its admission). Counting is lock-free; opening, trials and closing happen under the chain's lock.
/// </summary>
internal sealed class TierBreaker
{
    private readonly int _threshold;
    private readonly BreakerCore _core;
    private int _consecutiveFailures;
    private long _answered;
    private long _failures;

    /// <param name="threshold">Consecutive failures that open it.</param>
    /// <param name="sync">The chain's lock.</param>
    /// <param name="breakTicks">How long it stays open, in timestamp ticks; also how long its one trial call may take to report (no limit when zero).</param>
    public TierBreaker(int threshold, object sync, long breakTicks)
    {
        _threshold = threshold;
        _core = new BreakerCore(sync, breakTicks, trialCalls: 1, trialTimeoutTicks: breakTicks > 0 ? breakTicks : BreakerTime.Never, onTransition: null);
    }

    public bool IsClosed => _core.State == BreakerState.Closed;
    public bool IsBroken => _core.State != BreakerState.Closed;
    public int ConsecutiveFailures => Volatile.Read(ref _consecutiveFailures);
    public long Answered => Interlocked.Read(ref _answered);
    public long Failures => Interlocked.Read(ref _failures);

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

    /// <summary>Opens it at <paramref name="now"/> for the break duration (under the chain's lock).</summary>
    public void Trip(long now)
    {
        Volatile.Write(ref _consecutiveFailures, 0);
        _core.Open(now, "consecutive failures");
    }

    /// <summary>Closes it at <paramref name="now"/> (under the chain's lock).</summary>
    public void Reset(long now)
    {
        Volatile.Write(ref _consecutiveFailures, 0);
        _core.Close(now, "reset");
    }

    /// <summary>Admits the one trial call once the break has lasted its duration (under the chain's lock).</summary>
    public bool TryBeginTrial(long now, out BreakerPermit trial)
    {
        if (_core.TryAdmitTrial(now, out var generation, out var slot))
        {
            trial = new BreakerPermit(generation, slot);
            return true;
        }
        trial = default;
        return false;
    }

    /// <summary>The trial's outcome (under the chain's lock); true when it closed the breaker. A late or stale trial changes nothing.</summary>
    public bool CompleteTrial(in BreakerPermit trial, bool success, long now)
    {
        if (success) CountAnswer();
        else Interlocked.Increment(ref _failures);
        _core.RecordTrial(trial.Generation, trial.TrialSlot, success, now);
        return success && _core.State == BreakerState.Closed;
    }

    /// <summary>The trial's caller gave up: the slot is free for the next call, the break is not restarted (under the chain's lock).</summary>
    public void AbandonTrial(in BreakerPermit trial, long now) => _core.ReleaseTrial(trial.Generation, trial.TrialSlot, now);
}
