using System.Threading.Channels;

namespace Degradation.State;

/// <summary>
/// Delivers transitions to observers off the state machine's path (rule 11 in docs/RULES.md): each observer has its own
/// unbounded queue and loop, so a slow or throwing observer delays only itself and never the state machine.
/// </summary>
internal sealed class TransitionDispatcher : IAsyncDisposable
{
    private readonly object _gate = new();
    private readonly List<Subscription> _subscriptions = [];
    private long _failures;
    private bool _disposed;

    /// <summary>Observer invocations that threw.</summary>
    public long Failures => Interlocked.Read(ref _failures);

    /// <summary>Raised (on the observer's loop) when an observer throws.</summary>
    public event Action<ModeTransition, Exception>? ObserverFailed;

    public IDisposable Subscribe(Func<ModeTransition, CancellationToken, ValueTask> observer, IReadOnlyList<ModeTransition>? backlog = null)
    {
        ArgumentNullException.ThrowIfNull(observer);
        var subscription = new Subscription(this, observer);
        foreach (var transition in backlog ?? []) subscription.Post(transition);
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            _subscriptions.Add(subscription);
        }
        subscription.Start();
        return subscription;
    }

    /// <summary>Queues <paramref name="transition"/> for every observer; never blocks.</summary>
    public void Dispatch(ModeTransition transition)
    {
        Subscription[] subscriptions;
        lock (_gate) subscriptions = [.. _subscriptions];
        foreach (var subscription in subscriptions) subscription.Post(transition);
    }

    /// <summary>Completes when every transition dispatched so far has been handled by every observer.</summary>
    public async Task FlushAsync(CancellationToken cancellationToken = default)
    {
        Subscription[] subscriptions;
        lock (_gate) subscriptions = [.. _subscriptions];
        foreach (var subscription in subscriptions) await subscription.FlushAsync(cancellationToken).ConfigureAwait(false);
    }

    public async ValueTask DisposeAsync()
    {
        Subscription[] subscriptions;
        lock (_gate)
        {
            _disposed = true;
            subscriptions = [.. _subscriptions];
            _subscriptions.Clear();
        }
        foreach (var subscription in subscriptions) await subscription.CompleteAsync().ConfigureAwait(false);
    }

    private void Remove(Subscription subscription)
    {
        lock (_gate) _subscriptions.Remove(subscription);
    }

    private sealed class Subscription(TransitionDispatcher owner, Func<ModeTransition, CancellationToken, ValueTask> observer) : IDisposable
    {
        private readonly CancellationTokenSource _stop = new();
        private long _dispatched;
        private long _handled;
        private readonly object _flushGate = new();
        private readonly List<(long Target, TaskCompletionSource Done)> _flushWaiters = [];
        private Task _loop = Task.CompletedTask;

        public Channel<ModeTransition> Queue { get; } = Channel.CreateUnbounded<ModeTransition>(new UnboundedChannelOptions { SingleReader = true });

        public void Start() => _loop = Task.Run(RunAsync);

        // Counted before the write, so a flush never misses a transition that is queued or being handled.
        public void Post(ModeTransition transition)
        {
            Interlocked.Increment(ref _dispatched);
            if (!Queue.Writer.TryWrite(transition)) Interlocked.Decrement(ref _dispatched);
        }

        public Task FlushAsync(CancellationToken cancellationToken)
        {
            lock (_flushGate)
            {
                var target = Interlocked.Read(ref _dispatched);
                if (Interlocked.Read(ref _handled) >= target || _loop.IsCompleted) return Task.CompletedTask;
                var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                _flushWaiters.Add((target, done));
                return done.Task.WaitAsync(cancellationToken);
            }
        }

        private async Task RunAsync()
        {
            try
            {
                while (await Queue.Reader.WaitToReadAsync(_stop.Token).ConfigureAwait(false))
                {
                    while (Queue.Reader.TryRead(out var transition))
                    {
                        try
                        {
                            await observer(transition, _stop.Token).ConfigureAwait(false);
                        }
                        catch (Exception ex) when (ex is not OperationCanceledException || !_stop.IsCancellationRequested)
                        {
                            Interlocked.Increment(ref owner._failures);
                            try { owner.ObserverFailed?.Invoke(transition, ex); } catch (Exception) { /* a failing failure handler must not stop delivery */ }
                        }
                        Interlocked.Increment(ref _handled);
                        ReleaseFlushWaiters();
                    }
                }
            }
            catch (OperationCanceledException) when (_stop.IsCancellationRequested)
            {
            }
            finally
            {
                lock (_flushGate)
                {
                    foreach (var (_, done) in _flushWaiters) done.TrySetResult();
                    _flushWaiters.Clear();
                }
            }
        }

        private void ReleaseFlushWaiters()
        {
            lock (_flushGate)
            {
                if (_flushWaiters.Count == 0) return;
                var handled = Interlocked.Read(ref _handled);
                for (var i = _flushWaiters.Count - 1; i >= 0; i--)
                {
                    if (_flushWaiters[i].Target <= handled)
                    {
                        _flushWaiters[i].Done.TrySetResult();
                        _flushWaiters.RemoveAt(i);
                    }
                }
            }
        }

        public async Task CompleteAsync()
        {
            Queue.Writer.TryComplete();
            await _loop.ConfigureAwait(false);
        }

        public void Dispose()
        {
            owner.Remove(this);
            Queue.Writer.TryComplete();
            _stop.Cancel();
        }
    }
}
