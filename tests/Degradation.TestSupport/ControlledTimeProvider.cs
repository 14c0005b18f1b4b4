using Microsoft.Extensions.Time.Testing;

namespace Degradation.Testing;

/// <summary>How the timers of a <see cref="ControlledTimeProvider"/> fire.</summary>
public enum TimerFiring
{
    /// <summary>Exactly at their due time, while <see cref="ControlledTimeProvider.Advance"/> passes it.</summary>
    OnTime,
    /// <summary>Only when the test calls <see cref="ControlledTimeProvider.FireDueTimers"/>: a timer starved by a busy machine.</summary>
    Late,
    /// <summary>Never: a timer that is lost.</summary>
    Never,
}

/// <summary>
/// A test clock (a <see cref="FakeTimeProvider"/>: time moves only when the test says so) for what a plain
/// <see cref="FakeTimeProvider"/> cannot do: timers that fire on time, late or never, as the test chooses (the firing
/// mode can change at any moment), a count of pending timers, and a wall-clock jump that leaves the monotonic
/// timestamp alone. Use a plain <see cref="FakeTimeProvider"/> otherwise. Timers fire synchronously on the
/// thread that advances the clock or calls <see cref="FireDueTimers"/>, in due order.
/// </summary>
public sealed class ControlledTimeProvider : TimeProvider
{
    private readonly FakeTimeProvider _clock;
    private readonly object _lock = new();
    private readonly List<ControlledTimer> _timers = [];
    private long _sequence;
    private long _wallOffsetTicks;

    /// <summary>Creates a clock starting at <paramref name="start"/> (a fixed date by default) whose timers fire as <paramref name="firing"/> says.</summary>
    public ControlledTimeProvider(TimerFiring firing = TimerFiring.OnTime, DateTimeOffset? start = null)
    {
        _clock = new FakeTimeProvider(start ?? new DateTimeOffset(2026, 1, 26, 9, 30, 0, TimeSpan.Zero));
        if (_clock.TimestampFrequency != TimeSpan.TicksPerSecond) throw new InvalidOperationException("The fake clock must count TimeSpan ticks.");
        Firing = firing;
    }

    /// <summary>How timers fire from now on.</summary>
    public TimerFiring Firing { get; set; }

    /// <summary>Timers created so far.</summary>
    public int TimersCreated { get { lock (_lock) return (int)_sequence; } }

    /// <summary>Timers scheduled and not yet fired or disposed.</summary>
    public int PendingTimers { get { lock (_lock) return _timers.Count(t => t.DueAt is not null); } }

    /// <summary>The delays of the scheduled timers, shortest first.</summary>
    public IReadOnlyList<TimeSpan> PendingDelays
    {
        get
        {
            lock (_lock)
            {
                var now = _clock.GetTimestamp();
                return [.. _timers.Where(t => t.DueAt is not null).Select(t => TimeSpan.FromTicks(t.DueAt!.Value - now)).Order()];
            }
        }
    }

    /// <inheritdoc />
    public override long TimestampFrequency => _clock.TimestampFrequency;

    /// <inheritdoc />
    public override long GetTimestamp() => _clock.GetTimestamp();

    /// <inheritdoc />
    public override DateTimeOffset GetUtcNow() => _clock.GetUtcNow() + TimeSpan.FromTicks(Interlocked.Read(ref _wallOffsetTicks));

    /// <summary>
    /// Moves the wall clock only (a clock jump, forwards or backwards); the monotonic timestamp and the timers are
    /// unaffected. <see cref="FakeTimeProvider"/> cannot do this: its timestamp follows its wall clock.
    /// </summary>
    public void JumpWallClock(TimeSpan delta) => Interlocked.Add(ref _wallOffsetTicks, delta.Ticks);

    /// <inheritdoc />
    public override TimeZoneInfo LocalTimeZone => TimeZoneInfo.Utc;

    /// <summary>
    /// Moves time forward by <paramref name="delta"/>. With <see cref="TimerFiring.OnTime"/> every timer falling due fires
    /// at its due time (the clock stops there while it runs); otherwise timers stay pending.
    /// </summary>
    public void Advance(TimeSpan delta)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(delta, TimeSpan.Zero);
        var target = _clock.GetTimestamp() + delta.Ticks;
        while (Firing == TimerFiring.OnTime && Next(target) is { } timer)
        {
            var step = timer.DueAt!.Value - _clock.GetTimestamp();
            if (step > 0) _clock.Advance(TimeSpan.FromTicks(step));
            Fire(timer);
        }
        var rest = target - _clock.GetTimestamp();
        if (rest > 0) _clock.Advance(TimeSpan.FromTicks(rest));
    }

    /// <summary>Moves time forward to <paramref name="timestamp"/> (see <see cref="Advance"/>).</summary>
    public void AdvanceTo(long timestamp) => Advance(TimeSpan.FromTicks(timestamp - _clock.GetTimestamp()));

    /// <summary>
    /// Fires, now, every timer that is due (late, unless it just fell due), in due order; does nothing with
    /// <see cref="TimerFiring.Never"/>. Returns how many fired.
    /// </summary>
    public int FireDueTimers()
    {
        if (Firing == TimerFiring.Never) return 0;
        var fired = 0;
        while (Next(_clock.GetTimestamp()) is { } timer)
        {
            Fire(timer);
            fired++;
        }
        return fired;
    }

    /// <inheritdoc />
    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        ArgumentNullException.ThrowIfNull(callback);
        ControlledTimer timer;
        lock (_lock) timer = new ControlledTimer(this, callback, state, ++_sequence);
        timer.Change(dueTime, period);
        lock (_lock) _timers.Add(timer);
        return timer;
    }

    private ControlledTimer? Next(long until)
    {
        lock (_lock)
        {
            ControlledTimer? next = null;
            foreach (var timer in _timers)
            {
                if (timer.DueAt is not { } due || due > until) continue;
                if (next is null || due < next.DueAt || (due == next.DueAt && timer.Sequence < next.Sequence)) next = timer;
            }
            return next;
        }
    }

    private void Fire(ControlledTimer timer)
    {
        lock (_lock) timer.DueAt = timer.Period is { } p ? timer.DueAt + p : null;
        timer.Invoke();
    }

    private static void ValidateDelay(TimeSpan delay, string name)
    {
        // The same limit as the framework's timers, so code that passes here does not throw in production.
        if (delay != Timeout.InfiniteTimeSpan && (delay < TimeSpan.Zero || delay.TotalMilliseconds > uint.MaxValue - 1.0))
            throw new ArgumentOutOfRangeException(name, delay, $"A timer delay must be within [0, 4294967294 ms] or infinite (was {delay}).");
    }

    private sealed class ControlledTimer(ControlledTimeProvider owner, TimerCallback callback, object? state, long sequence) : ITimer
    {
        public long Sequence { get; } = sequence;
        public long? DueAt { get; set; }
        public long? Period { get; private set; }

        public void Invoke() => callback(state);

        public bool Change(TimeSpan dueTime, TimeSpan period)
        {
            ValidateDelay(dueTime, nameof(dueTime));
            ValidateDelay(period, nameof(period));
            lock (owner._lock)
            {
                DueAt = dueTime == Timeout.InfiniteTimeSpan ? null : owner._clock.GetTimestamp() + dueTime.Ticks;
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
