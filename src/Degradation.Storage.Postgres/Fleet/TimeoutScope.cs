namespace Degradation.Storage.Postgres;

/// <summary>A cancellation token that fires when <c>stop</c> does or after a delay measured by a <see cref="TimeProvider"/>.</summary>
internal sealed class TimeoutScope : IDisposable
{
    private readonly CancellationTokenSource _timeout;
    private readonly CancellationTokenSource _linked;

    public TimeoutScope(TimeSpan delay, TimeProvider timeProvider, CancellationToken stop)
    {
        _timeout = new CancellationTokenSource(delay, timeProvider);
        _linked = CancellationTokenSource.CreateLinkedTokenSource(stop, _timeout.Token);
    }

    public CancellationToken Token => _linked.Token;

    /// <summary>True when the delay ran out (rather than <c>stop</c> firing).</summary>
    public bool TimedOut => _timeout.IsCancellationRequested;

    public void Dispose()
    {
        _linked.Dispose();
        _timeout.Dispose();
    }
}
