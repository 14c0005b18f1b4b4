using System.Threading.Channels;

namespace Degradation;

/// <summary>
/// Carries events from detectors to the state machine and to subscribers (SPEC §6). Bounded for
/// non-critical events; <see cref="Publish(in SystemEvent)"/> never blocks. A must-deliver event is applied to the state
/// machine before <see cref="Publish(in SystemEvent)"/> returns (the gate already reflects it) and is never dropped; it is
/// also queued so the state machine processes it again in order. Subscribers see events in order on one
/// consumer loop; a throwing subscriber is isolated and counted.
/// </summary>
public sealed class EventBus : IAsyncDisposable
{
    private readonly DegradationPolicy _policy;
    private readonly DegradationStateMachine _stateMachine;
    private readonly TimeProvider _time;
    private readonly Channel<SystemEvent> _channel =
        Channel.CreateUnbounded<SystemEvent>(new UnboundedChannelOptions { SingleReader = true, AllowSynchronousContinuations = false });
    private readonly int _capacity;
    private readonly bool _dropOnFull;
    private readonly object _subscribersLock = new();
    private readonly object _drainLock = new();
    private readonly List<(long Target, TaskCompletionSource Done)> _drainWaiters = [];
    private Action<SystemEvent>[] _subscribers = [];
    private int _pending;
    private long _processed;
    private long _dropped;
    private long _mustDelivered;
    private long _overCapacity;
    private long _handlerFailures;
    private int _state; // 0 created, 1 running, 2 stopped
    private Task _loop = Task.CompletedTask;

    /// <summary>Creates a bus that feeds <paramref name="stateMachine"/>.</summary>
    public EventBus(DegradationPolicy policy, DegradationStateMachine stateMachine, TimeProvider timeProvider)
    {
        ArgumentNullException.ThrowIfNull(policy);
        ArgumentNullException.ThrowIfNull(stateMachine);
        ArgumentNullException.ThrowIfNull(timeProvider);
        _policy = policy;
        _stateMachine = stateMachine;
        _time = timeProvider;
        _capacity = policy.Options.EventBusQueueSize;
        _dropOnFull = policy.Options.EventBusDropOnFull;
    }

    /// <summary>Events waiting to be processed.</summary>
    public int PendingCount => Volatile.Read(ref _pending);
    /// <summary>Events processed by the consumer loop.</summary>
    public long ProcessedCount => Interlocked.Read(ref _processed);
    /// <summary>Non-critical events dropped because the bus was full or stopped.</summary>
    public long DroppedCount => Interlocked.Read(ref _dropped);
    /// <summary>Must-deliver events that took the emergency path.</summary>
    public long MustDeliverCount => Interlocked.Read(ref _mustDelivered);
    /// <summary>Events kept beyond capacity because <see cref="DegradationOptions.EventBusDropOnFull"/> is off.</summary>
    public long OverCapacityCount => Interlocked.Read(ref _overCapacity);
    /// <summary>Subscriber (or state machine) invocations that threw.</summary>
    public long HandlerFailures => Interlocked.Read(ref _handlerFailures);
    /// <summary>The fallback record of dropped events.</summary>
    public DroppedEventLog DroppedEvents { get; } = new();
    /// <summary>True while the consumer loop runs.</summary>
    public bool IsRunning => Volatile.Read(ref _state) == 1;

    /// <summary>Raised on the consumer loop when a subscriber throws; the bus carries on.</summary>
    public event Action<SystemEvent, Exception>? HandlerFailed;

    /// <summary>
    /// Publishes an event without blocking. Returns false only when the event was dropped (a non-critical
    /// event on a full or stopped bus); a must-deliver event is always kept and returns true.
    /// </summary>
    public bool Publish(in SystemEvent systemEvent)
    {
        if (_policy.IsMustDeliver(systemEvent.Reason))
        {
            Interlocked.Increment(ref _mustDelivered);
            // Emergency path (SPEC rule 7): the gate reflects the event before Publish returns.
            _stateMachine.Apply(systemEvent);
            Interlocked.Increment(ref _pending);
            if (!_channel.Writer.TryWrite(systemEvent)) Interlocked.Decrement(ref _pending);
            return true;
        }

        if (Interlocked.Increment(ref _pending) > _capacity)
        {
            if (_dropOnFull)
            {
                Interlocked.Decrement(ref _pending);
                Drop(systemEvent);
                return false;
            }
            Interlocked.Increment(ref _overCapacity);
        }
        if (_channel.Writer.TryWrite(systemEvent)) return true;
        Interlocked.Decrement(ref _pending);
        Drop(systemEvent);
        return false;
    }

    /// <summary>Stamps and publishes an event (see <see cref="Publish(in SystemEvent)"/>).</summary>
    public bool Publish(EventType type, ComponentId component, ReasonCode reason = default, string? details = null, TimeSpan? ttl = null, Severity? severity = null) =>
        Publish(SystemEvent.Create(_time, type, component, reason, severity, details, ttl));

    /// <summary>Subscribes a handler that sees every processed event, in order, on the consumer loop. Dispose to unsubscribe.</summary>
    public IDisposable Subscribe(Action<SystemEvent> handler)
    {
        ArgumentNullException.ThrowIfNull(handler);
        lock (_subscribersLock) _subscribers = [.. _subscribers, handler];
        return new Unsubscriber(this, handler);
    }

    /// <summary>Starts the consumer loop. Idempotent.</summary>
    public void Start()
    {
        if (Interlocked.CompareExchange(ref _state, 1, 0) != 0) return;
        _loop = Task.Run(RunAsync);
    }

    /// <summary>
    /// Processes every queued event on the calling thread. For hosts and tests that drive the bus themselves;
    /// not allowed while the consumer loop runs.
    /// </summary>
    /// <returns>How many events were processed.</returns>
    public int ProcessPending()
    {
        if (IsRunning) throw new InvalidOperationException("The bus consumer loop is running; use DrainAsync instead.");
        var count = 0;
        while (_channel.Reader.TryRead(out var e))
        {
            Process(e);
            count++;
        }
        ReleaseDrainWaiters();
        return count;
    }

    /// <summary>Completes when every event published before the call has been processed.</summary>
    public Task DrainAsync(CancellationToken cancellationToken = default)
    {
        lock (_drainLock)
        {
            var target = Interlocked.Read(ref _processed) + Volatile.Read(ref _pending);
            if (Interlocked.Read(ref _processed) >= target) return Task.CompletedTask;
            if (!IsRunning) { ProcessPendingUnlocked(); return Task.CompletedTask; }
            var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            _drainWaiters.Add((target, done));
            return done.Task.WaitAsync(cancellationToken);
        }
    }

    /// <summary>Stops accepting events, drains the queue, and stops the consumer loop.</summary>
    public async Task StopAsync(CancellationToken cancellationToken = default)
    {
        var previous = Interlocked.Exchange(ref _state, 2);
        _channel.Writer.TryComplete();
        if (previous == 1) await _loop.WaitAsync(cancellationToken).ConfigureAwait(false);
        else ProcessPending();
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync() => await StopAsync().ConfigureAwait(false);

    private void ProcessPendingUnlocked()
    {
        while (_channel.Reader.TryRead(out var e)) Process(e);
    }

    private async Task RunAsync()
    {
        var reader = _channel.Reader;
        while (await reader.WaitToReadAsync().ConfigureAwait(false))
        {
            while (reader.TryRead(out var e)) Process(e);
            ReleaseDrainWaiters();
        }
        ReleaseDrainWaiters();
    }

    private void Process(in SystemEvent e)
    {
        Interlocked.Decrement(ref _pending);
        try
        {
            _stateMachine.Apply(e);
        }
        catch (Exception ex)
        {
            Fail(e, ex);
        }
        foreach (var handler in Volatile.Read(ref _subscribers))
        {
            try
            {
                handler(e);
            }
            catch (Exception ex)
            {
                Fail(e, ex);
            }
        }
        Interlocked.Increment(ref _processed);
    }

    private void Fail(in SystemEvent e, Exception ex)
    {
        Interlocked.Increment(ref _handlerFailures);
        try { HandlerFailed?.Invoke(e, ex); } catch (Exception) { /* a failing failure handler must not stop the bus */ }
    }

    private void Drop(in SystemEvent e)
    {
        Interlocked.Increment(ref _dropped);
        DroppedEvents.Record(e);
    }

    private void ReleaseDrainWaiters()
    {
        lock (_drainLock)
        {
            if (_drainWaiters.Count == 0) return;
            var processed = Interlocked.Read(ref _processed);
            var finished = Volatile.Read(ref _state) == 2 && _channel.Reader.Completion.IsCompleted;
            for (var i = _drainWaiters.Count - 1; i >= 0; i--)
            {
                if (_drainWaiters[i].Target <= processed || finished)
                {
                    _drainWaiters[i].Done.TrySetResult();
                    _drainWaiters.RemoveAt(i);
                }
            }
        }
    }

    private void Unsubscribe(Action<SystemEvent> handler)
    {
        lock (_subscribersLock) _subscribers = [.. _subscribers.Where(h => h != handler)];
    }

    private sealed class Unsubscriber(EventBus bus, Action<SystemEvent> handler) : IDisposable
    {
        private int _disposed;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _disposed, 1) == 0) bus.Unsubscribe(handler);
        }
    }
}
