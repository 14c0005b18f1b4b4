using System.Collections.Concurrent;

namespace Degradation.Events;

/// <summary>
/// Carries events from detectors to the state machine and to subscribers (docs/RULES.md, Event bus). Bounded for
/// non-critical events; <see cref="Publish(in SystemEvent)"/> never blocks. A must-deliver event is applied to the state
/// machine before <see cref="Publish(in SystemEvent)"/> returns (the gate already reflects it) and is never dropped; it is
/// also queued so the state machine processes it again in order. Subscribers see events in order on one
/// consumer loop; a throwing subscriber is isolated and counted.
/// </summary>
/// <remarks>
/// The queue is a lock-free <see cref="ConcurrentQueue{T}"/>; the consumer loop parks on a semaphore only when
/// the queue is empty, so a publish is one enqueue plus a fence and allocates nothing.
/// </remarks>
public sealed class EventBus : IAsyncDisposable
{
    private const int Created = 0, Running = 1, Stopped = 2;

    private readonly DegradationPolicy _policy;
    private readonly DegradationStateMachine _stateMachine;
    private readonly TimeProvider _time;
    private readonly ConcurrentQueue<QueuedEvent> _queue = new();
    private readonly SemaphoreSlim _wakeUp = new(0);
    private readonly int _capacity;
    private readonly bool _dropOnFull;
    private readonly object _subscribersLock = new();
    private readonly object _drainLock = new();
    private readonly List<(long Target, TaskCompletionSource Done)> _drainWaiters = [];
    private Action<SystemEvent>[] _subscribers = [];
    private int _pending; // queued or being processed
    private int _consumerParked;
    private long _processed;
    private long _dropped;
    private long _mustDelivered;
    private long _overCapacity;
    private long _handlerFailures;
    private int _state;
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
        _capacity = policy.Options.EventBus.QueueSize;
        _dropOnFull = policy.Options.EventBus.DropOnFull;
    }

    /// <summary>Events waiting to be processed (including the one being processed).</summary>
    public int PendingCount => Volatile.Read(ref _pending);
    /// <summary>Events processed (by the consumer loop or a drain).</summary>
    public long ProcessedCount => Interlocked.Read(ref _processed);
    /// <summary>Non-critical events dropped because the bus was full or stopped.</summary>
    public long DroppedCount => Interlocked.Read(ref _dropped);
    /// <summary>Must-deliver events that took the emergency path.</summary>
    public long MustDeliverCount => Interlocked.Read(ref _mustDelivered);
    /// <summary>Events kept beyond capacity because <see cref="EventBusOptions.DropOnFull"/> is off.</summary>
    public long OverCapacityCount => Interlocked.Read(ref _overCapacity);
    /// <summary>Subscriber (or state machine) invocations that threw.</summary>
    public long HandlerFailures => Interlocked.Read(ref _handlerFailures);
    /// <summary>The fallback record of dropped events.</summary>
    public DroppedEventLog DroppedEvents { get; } = new();
    /// <summary>True while the consumer loop runs.</summary>
    public bool IsRunning => Volatile.Read(ref _state) == Running;

    /// <summary>True while the consumer loop has found the queue empty and waits to be woken (for tests of the wake-up).</summary>
    internal bool IsConsumerParked => Volatile.Read(ref _consumerParked) != 0;

    /// <summary>Raised on the consumer loop when a subscriber throws; the bus carries on.</summary>
    public event Action<SystemEvent, Exception>? HandlerFailed;

    /// <summary>
    /// Publishes an event without blocking. Returns false only when the event was dropped (a non-critical
    /// event on a full or stopped bus); a must-deliver event is always kept and returns true.
    /// </summary>
    public bool Publish(in SystemEvent systemEvent)
    {
        if (_policy.IsMustDeliver(systemEvent.Reason)) return PublishMustDeliver(systemEvent);

        if (Volatile.Read(ref _state) == Stopped)
        {
            Drop(systemEvent);
            return false;
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
        Enqueue(new QueuedEvent(systemEvent, isEmergencyCopy: false, epoch: 0));
        return true;
    }

    /// <summary>Stamps and publishes an event (see <see cref="Publish(in SystemEvent)"/>).</summary>
    public bool Publish(EventType type, ComponentId component, ReasonCode reason = default, string? details = null, TimeSpan? ttl = null,
        Severity? severity = null, ConditionSource source = default) =>
        Publish(SystemEvent.Create(_time, type, component, reason, severity, details, ttl, source));

    /// <summary>Subscribes a handler that sees every processed event, in order, on the consumer loop. Dispose to unsubscribe.</summary>
    public IDisposable Subscribe(Action<SystemEvent> handler)
    {
        ArgumentNullException.ThrowIfNull(handler);
        lock (_subscribersLock) _subscribers = [.. _subscribers, handler];
        return new Unsubscriber(this, handler);
    }

    /// <summary>Starts the consumer loop. Idempotent while running.</summary>
    /// <exception cref="InvalidOperationException">The bus was stopped; a stopped bus cannot be restarted.</exception>
    public void Start()
    {
        var previous = Interlocked.CompareExchange(ref _state, Running, Created);
        if (previous == Stopped)
            throw new InvalidOperationException("The event bus was stopped and cannot be restarted; create a new system.");
        if (previous == Created) _loop = Task.Run(RunAsync);
    }

    /// <summary>
    /// Processes every queued event on the calling thread. For hosts and tests that drive the bus themselves;
    /// not allowed while the consumer loop runs.
    /// </summary>
    /// <returns>How many events were processed.</returns>
    internal int ProcessPending()
    {
        if (IsRunning) throw new InvalidOperationException("The bus consumer loop is running; use DrainAsync instead.");
        var count = ProcessQueued();
        ReleaseDrainWaiters();
        return count;
    }

    /// <summary>Completes when every event published before the call has been processed.</summary>
    public Task DrainAsync(CancellationToken cancellationToken = default)
    {
        lock (_drainLock)
        {
            // Pending first, then processed: the target can only overshoot, and an empty queue releases it.
            var pending = Volatile.Read(ref _pending);
            var target = Interlocked.Read(ref _processed) + pending;
            if (pending == 0) return Task.CompletedTask;
            if (!IsRunning)
            {
                ProcessQueued();
                return Task.CompletedTask;
            }
            var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            _drainWaiters.Add((target, done));
            return done.Task.WaitAsync(cancellationToken);
        }
    }

    /// <summary>Stops accepting non-critical events, drains the queue, and stops the consumer loop.</summary>
    public async Task StopAsync(CancellationToken cancellationToken = default)
    {
        var previous = Interlocked.Exchange(ref _state, Stopped);
        if (previous == Running)
        {
            WakeConsumer(force: true);
            await _loop.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        // Also catches an event whose publisher passed the state check just before the stop.
        ProcessQueued();
        ReleaseDrainWaiters();
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync() => await StopAsync().ConfigureAwait(false);

    private bool PublishMustDeliver(in SystemEvent systemEvent)
    {
        Interlocked.Increment(ref _mustDelivered);
        // Emergency path (rule 7 in docs/RULES.md): the gate reflects the event before Publish returns, whatever the queue holds.
        var epoch = _stateMachine.ApplyEmergency(systemEvent);
        if (Volatile.Read(ref _state) == Stopped) return true;
        Interlocked.Increment(ref _pending); // never refused: must-deliver events are kept beyond capacity
        Enqueue(new QueuedEvent(systemEvent, isEmergencyCopy: true, epoch));
        return true;
    }

    private void Enqueue(in QueuedEvent item)
    {
        _queue.Enqueue(item);
        WakeConsumer(force: false);
    }

    private void WakeConsumer(bool force)
    {
        // Full fence: the enqueue above must be visible before we read the parked flag (the consumer sets the flag,
        // fences, then re-checks the queue), otherwise a wake-up could be lost.
        Interlocked.MemoryBarrier();
        if ((force || Volatile.Read(ref _consumerParked) != 0) && Interlocked.Exchange(ref _consumerParked, 0) != 0)
            _wakeUp.Release();
    }

    private async Task RunAsync()
    {
        while (true)
        {
            ProcessQueued();
            ReleaseDrainWaiters();
            if (Volatile.Read(ref _state) == Stopped) return; // StopAsync drains whatever is left
            Interlocked.Exchange(ref _consumerParked, 1);
            if (!_queue.IsEmpty || Volatile.Read(ref _state) == Stopped)
            {
                // Work arrived while parking: unpark ourselves, or consume the permit a publisher already released.
                if (Interlocked.Exchange(ref _consumerParked, 0) == 0) await _wakeUp.WaitAsync().ConfigureAwait(false);
                continue;
            }
            await _wakeUp.WaitAsync().ConfigureAwait(false);
        }
    }

    private int ProcessQueued()
    {
        var count = 0;
        while (_queue.TryDequeue(out var item))
        {
            Process(item);
            count++;
        }
        return count;
    }

    private void Process(in QueuedEvent item)
    {
        var e = item.Event;
        try
        {
            if (item.IsEmergencyCopy) _stateMachine.ApplyQueuedCopy(e, item.Epoch);
            else _stateMachine.Apply(e);
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
        // Processed before pending: processed + pending never dips, so a drain target is never reached early.
        Interlocked.Increment(ref _processed);
        Interlocked.Decrement(ref _pending);
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
            var empty = Volatile.Read(ref _pending) == 0;
            for (var i = _drainWaiters.Count - 1; i >= 0; i--)
            {
                if (empty || _drainWaiters[i].Target <= processed)
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

    private readonly struct QueuedEvent(in SystemEvent e, bool isEmergencyCopy, long epoch)
    {
        public readonly SystemEvent Event = e;
        public readonly bool IsEmergencyCopy = isEmergencyCopy;
        public readonly long Epoch = epoch;
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
