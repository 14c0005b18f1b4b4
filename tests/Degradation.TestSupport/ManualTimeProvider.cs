namespace Degradation.Testing;

/// <summary>
/// A deterministic <see cref="TimeProvider"/> for tests: time moves only when <see cref="Advance"/> is called,
/// and timers fire synchronously, in due order, on the advancing thread.
/// </summary>
public sealed class ManualTimeProvider : TimeProvider
{
    private readonly object _lock = new();
    private readonly List<ManualTimer> _timers = [];
    private DateTimeOffset _utcNow;
    private long _timestamp;

    public ManualTimeProvider(DateTimeOffset? start = null)
    {
        _utcNow = start ?? new DateTimeOffset(2026, 1, 26, 9, 30, 0, TimeSpan.Zero);
        _timestamp = 1_000_000_000;
    }

    public override long TimestampFrequency => TimeSpan.TicksPerSecond;

    public override DateTimeOffset GetUtcNow() { lock (_lock) return _utcNow; }

    public override long GetTimestamp() { lock (_lock) return _timestamp; }

    public override TimeZoneInfo LocalTimeZone => TimeZoneInfo.Utc;

    /// <summary>Moves time forward by <paramref name="delta"/>, firing every timer that falls due, in order.</summary>
    public void Advance(TimeSpan delta)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(delta, TimeSpan.Zero);
        long target;
        lock (_lock) target = _timestamp + delta.Ticks;
        while (true)
        {
            ManualTimer? next = null;
            lock (_lock)
            {
                foreach (var timer in _timers)
                    if (timer.DueAt is { } due && due <= target && (next is null || due < next.DueAt)) next = timer;
                if (next is null)
                {
                    _utcNow += TimeSpan.FromTicks(target - _timestamp);
                    _timestamp = target;
                    return;
                }
                var step = next.DueAt!.Value - _timestamp;
                if (step > 0)
                {
                    _utcNow += TimeSpan.FromTicks(step);
                    _timestamp = next.DueAt.Value;
                }
                next.DueAt = next.Period is { } p && p > 0 ? _timestamp + p : null;
            }
            next.Fire();
        }
    }

    /// <summary>Advances in steps of <paramref name="step"/> until <paramref name="total"/> has passed.</summary>
    public void AdvanceInSteps(TimeSpan total, TimeSpan step)
    {
        for (var passed = TimeSpan.Zero; passed < total; passed += step) Advance(step);
    }

    /// <summary>Moves the wall clock only (a clock jump); the monotonic timestamp is unaffected.</summary>
    public void JumpWallClock(TimeSpan delta)
    {
        lock (_lock) _utcNow += delta;
    }

    public int ActiveTimers { get { lock (_lock) return _timers.Count(t => t.DueAt is not null); } }

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        var timer = new ManualTimer(this, callback, state);
        timer.Change(dueTime, period);
        lock (_lock) _timers.Add(timer);
        return timer;
    }

    private sealed class ManualTimer(ManualTimeProvider owner, TimerCallback callback, object? state) : ITimer
    {
        public long? DueAt { get; set; }
        public long? Period { get; private set; }

        public void Fire() => callback(state);

        public bool Change(TimeSpan dueTime, TimeSpan period)
        {
            lock (owner._lock)
            {
                DueAt = dueTime == Timeout.InfiniteTimeSpan ? null : owner._timestamp + Math.Max(0, dueTime.Ticks);
                Period = period == Timeout.InfiniteTimeSpan || period == TimeSpan.Zero ? null : period.Ticks;
            }
            return true;
        }

        public void Dispose()
        {
            lock (owner._lock)
            {
                DueAt = null;
                owner._timers.Remove(this);
            }
        }

        public ValueTask DisposeAsync()
        {
            Dispose();
            return ValueTask.CompletedTask;
        }
    }
}
