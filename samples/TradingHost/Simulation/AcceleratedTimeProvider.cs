namespace TradingHost.Simulation;

/// <summary>
/// A clock that runs <see cref="Speed"/> times faster than real time: timestamps, wall time and timers (including
/// later <see cref="ITimer.Change"/> calls) are all scaled, so dwell and stability times that add nothing to a demo
/// pass quickly while every component still runs concurrently for real.
/// </summary>
public sealed class AcceleratedTimeProvider : TimeProvider
{
    private readonly TimeProvider _real = TimeProvider.System;
    private readonly long _startTimestamp;
    private readonly DateTimeOffset _startWall;

    public AcceleratedTimeProvider(double speed)
    {
        if (!(speed >= 1) || !double.IsFinite(speed)) throw new ArgumentOutOfRangeException(nameof(speed), speed, "--speed must be a finite number >= 1.");
        Speed = speed;
        _startTimestamp = _real.GetTimestamp();
        _startWall = _real.GetUtcNow();
    }

    public double Speed { get; }

    public override long TimestampFrequency => _real.TimestampFrequency;

    public override long GetTimestamp() => _startTimestamp + (long)((_real.GetTimestamp() - _startTimestamp) * Speed);

    public override DateTimeOffset GetUtcNow() => _startWall + _real.GetElapsedTime(_startTimestamp) * Speed;

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period) =>
        new ScaledTimer(this, _real.CreateTimer(callback, state, Scale(dueTime), Scale(period)));

    /// <summary>The real duration of <paramref name="simulated"/> time.</summary>
    public TimeSpan Scale(TimeSpan simulated) =>
        simulated == Timeout.InfiniteTimeSpan || simulated <= TimeSpan.Zero ? simulated : TimeSpan.FromTicks(Math.Max(1, (long)(simulated.Ticks / Speed)));

    private sealed class ScaledTimer(AcceleratedTimeProvider clock, ITimer inner) : ITimer
    {
        public bool Change(TimeSpan dueTime, TimeSpan period) => inner.Change(clock.Scale(dueTime), clock.Scale(period));

        public void Dispose() => inner.Dispose();

        public ValueTask DisposeAsync() => inner.DisposeAsync();
    }
}
