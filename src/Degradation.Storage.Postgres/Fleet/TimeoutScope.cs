namespace Degradation.Storage.Postgres;

/// <summary>
/// A cancellation token that fires when <c>stop</c> does or after a delay measured by a <see cref="TimeProvider"/>.
/// The delay runs on our own timer rather than <c>new CancellationTokenSource(delay, timeProvider)</c>: a
/// cancellation callback registered by the driver that throws (e.g. on a connection being torn down) would
/// otherwise escape from a timer callback and end the process.
/// </summary>
internal sealed class TimeoutScope : IDisposable
{
    private readonly CancellationTokenSource _linked;
    private readonly ITimer _timer;
    private volatile bool _timedOut;

    public TimeoutScope(TimeSpan delay, TimeProvider timeProvider, CancellationToken stop)
    {
        _linked = CancellationTokenSource.CreateLinkedTokenSource(stop);
        _timer = timeProvider.CreateTimer(static s => ((TimeoutScope)s!).Fire(), this, delay, System.Threading.Timeout.InfiniteTimeSpan);
    }

    public CancellationToken Token => _linked.Token;

    /// <summary>True when the delay ran out (rather than <c>stop</c> firing).</summary>
    public bool TimedOut => _timedOut;

    private void Fire()
    {
        _timedOut = true;
        try { _linked.Cancel(); }
        catch (AggregateException) { /* a registered callback failed; the awaited operation still sees the cancellation */ }
        catch (ObjectDisposedException) { /* the scope ended as the timer fired */ }
    }

    public void Dispose()
    {
        _timer.Dispose();
        _linked.Dispose();
    }
}
