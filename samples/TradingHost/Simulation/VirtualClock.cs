using System.Diagnostics;
using Microsoft.Extensions.Time.Testing;

namespace TradingHost.Simulation;

/// <summary>
/// The simulation's clock: virtual time (a <see cref="FakeTimeProvider"/>) that a driver thread moves forward in
/// steps of <see cref="Step"/>, each taken only once the work the previous one set off has finished (the thread
/// pool is idle, and whatever <see cref="WaitFor"/> added is settled). A timeout can therefore fire only after the call it guards had its chance to answer, so a
/// scenario's outcome does not depend on how busy the machine is: a busy machine slows the clock down instead of
/// turning slowness into simulated outages. The clock never runs faster than <see cref="Speed"/> times real time, so
/// the strategy (which trades in real time) and the live log keep their pace on an idle machine.
/// </summary>
/// <remarks>
/// If the work does not settle within <see cref="MaxSettle"/> of real time (something outside the simulation keeps
/// it busy), the step is taken anyway so the run always progresses; such steps are counted in
/// <see cref="UnsettledSteps"/> and reported, so a reader knows whether a run was fully settled.
/// </remarks>
public sealed class VirtualClock : TimeProvider, IDisposable
{
    /// <summary>How far one step moves the clock (simulated time).</summary>
    public static readonly TimeSpan Step = TimeSpan.FromMilliseconds(5);

    /// <summary>Longest real wait for the thread pool to fall idle before a step is taken anyway.</summary>
    public static readonly TimeSpan MaxSettle = TimeSpan.FromMilliseconds(50);

    private readonly FakeTimeProvider _time = new(TimeProvider.System.GetUtcNow());
    // The time as of the driver's last step, for every thread but the driver. Reading the FakeTimeProvider itself also
    // fires any timer already due, on the reading thread: a strategy thread reading the time could run a scenario's
    // continuation that stops (joins) that same thread, and the run deadlocked. Only the driver fires timers.
    private long _publishedTicks;
    private readonly Thread _driver;
    private volatile SettleCondition[] _settled = [];
    private volatile bool _stop;
    private long _steps;
    private readonly SimulationProgress? _progress;
    private long _unsettledSteps;
    // Busy pool workers that are not ours to wait for: a host's thread blocked for the whole run (a test runner waits
    // on one) never finishes. Learned: raised to the fewest busy workers seen while a step could not settle, lowered
    // whenever fewer are busy.
    private int _busyFloor;

    /// <param name="speed">The most simulated seconds per real second (>= 1).</param>
    /// <param name="progress">Where each step is also counted (optional), for a watcher that tells a hang from slowness.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="speed"/> is below 1 or not finite.</exception>
    public VirtualClock(double speed, SimulationProgress? progress = null)
    {
        _progress = progress;
        _publishedTicks = _time.GetUtcNow().UtcTicks;
        if (!(speed >= 1) || !double.IsFinite(speed)) throw new ArgumentOutOfRangeException(nameof(speed), speed, "--speed must be a finite number >= 1.");
        Speed = speed;
        _driver = new Thread(Drive) { IsBackground = true, Name = "virtual-clock" };
        _driver.Start();
    }

    /// <summary>The most simulated seconds per real second.</summary>
    public double Speed { get; }

    /// <summary>Steps taken so far.</summary>
    public long Steps => Interlocked.Read(ref _steps);

    /// <summary>Steps taken before the work of the previous step had finished (only on a machine too busy to settle within <see cref="MaxSettle"/>).</summary>
    public long UnsettledSteps => Interlocked.Read(ref _unsettledSteps);

    public override long TimestampFrequency => TimeSpan.TicksPerSecond;

    public override long GetTimestamp() => GetUtcNow().UtcTicks;

    public override DateTimeOffset GetUtcNow() =>
        Thread.CurrentThread == _driver ? _time.GetUtcNow() : new DateTimeOffset(Volatile.Read(ref _publishedTicks), TimeSpan.Zero);

    public override TimeZoneInfo LocalTimeZone => TimeZoneInfo.Utc;

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period) =>
        _time.CreateTimer(callback, state, dueTime, period);

    /// <summary>
    /// Adds work outside the thread pool (e.g. a dedicated thread) that each step waits for as well: the clock moves on
    /// only while <paramref name="settled"/> returns true.
    /// </summary>
    /// <param name="name">What is waited for, as a report names it when it does not settle (e.g. "the strategy loop to catch up").</param>
    /// <param name="settled">True once that work has finished.</param>
    public void WaitFor(string name, Func<bool> settled)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentNullException.ThrowIfNull(settled);
        lock (_driver) _settled = [.. _settled, new SettleCondition(name, settled)];
    }

    /// <summary>Stops the driver: the clock stands still from now on.</summary>
    public void Dispose()
    {
        _stop = true;
        if (Thread.CurrentThread != _driver) _driver.Join();
    }

    private void Drive()
    {
        var realStart = Stopwatch.GetTimestamp();
        var simulated = TimeSpan.Zero;
        while (!_stop)
        {
            // Never ahead of Speed x real time.
            var ahead = simulated / Speed - Stopwatch.GetElapsedTime(realStart);
            if (ahead > TimeSpan.FromMilliseconds(1)) Thread.Sleep(ahead);
            var unsettledBy = WaitUntilSettled();
            if (unsettledBy is not null) Interlocked.Increment(ref _unsettledSteps);
            // Timers that fall due fire here, on this thread, in due order; what they start runs on the pool and is
            // awaited by the next WaitUntilPoolIdle.
            _time.Advance(Step);
            Volatile.Write(ref _publishedTicks, _time.GetUtcNow().UtcTicks);
            simulated += Step;
            Interlocked.Increment(ref _steps);
            _progress?.Stepped(unsettledBy);
        }
    }

    /// <summary>Waits for the work of the last step to finish; returns null once it has, else what it still waited for at <see cref="MaxSettle"/>.</summary>
    private string? WaitUntilSettled()
    {
        var start = Stopwatch.GetTimestamp();
        var spinner = default(SpinWait);
        var fewestBusy = int.MaxValue;
        while (true)
        {
            // Settled twice in a row, with a yield in between: no work item was handed on from one thread to the next.
            var waitingFor = Unsettled(ref fewestBusy);
            if (waitingFor is null)
            {
                Thread.Yield();
                waitingFor = Unsettled(ref fewestBusy);
                if (waitingFor is null) return null;
            }
            if (Stopwatch.GetElapsedTime(start) > MaxSettle)
            {
                if (fewestBusy != int.MaxValue) _busyFloor = fewestBusy;
                return waitingFor;
            }
            spinner.SpinOnce();
        }
    }

    /// <summary>Null when everything a step waits for has finished, else the first thing that has not.</summary>
    private string? Unsettled(ref int fewestBusy)
    {
        foreach (var condition in _settled)
            if (!condition.IsSettled()) return condition.Name;
        var queued = ThreadPool.PendingWorkItemCount;
        if (queued != 0) return $"{queued} queued thread-pool work items";
        ThreadPool.GetMaxThreads(out var maxWorkers, out _);
        ThreadPool.GetAvailableThreads(out var availableWorkers, out _);
        var busy = maxWorkers - availableWorkers; // workers running a work item
        fewestBusy = Math.Min(fewestBusy, busy);
        if (busy < _busyFloor) _busyFloor = busy;
        return busy <= _busyFloor ? null : $"{busy - _busyFloor} busy thread-pool workers";
    }

    private sealed record SettleCondition(string Name, Func<bool> IsSettled);
}
