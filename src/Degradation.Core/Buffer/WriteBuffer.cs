using System.Globalization;

namespace Degradation.Buffering;

/// <summary>
/// Buffers writes the database rejected: each write is durable in an <see cref="IWalStore"/> before
/// <see cref="EnqueueAsync"/> completes, and <see cref="ReplayAsync"/> later hands the entries to an
/// <see cref="IBufferedWriteTarget"/> in their original order, once per idempotent key.
/// </summary>
/// <remarks>
/// <para>Events (through the <see cref="EventBus"/>): the first buffered write publishes
/// <c>db.write_fail_buffered</c> (FailSupport, <see cref="ComponentId.Db"/>, → Degraded). Hitting a bound rejects the
/// write with <see cref="WriteBufferOverflowException"/> and publishes <c>db.buffer_overflow</c> as FailCritical
/// on <see cref="ComponentId.System"/> (→ SafeMode; the db component is optional and capped at Degraded). Once the
/// buffer is below its bounds again it publishes Recovered for <see cref="ComponentId.System"/>, and when replay has
/// drained it, Recovered for <see cref="ComponentId.Db"/>.</para>
/// <para>Bounds: at most <see cref="BufferOptions.MaxEntries"/> entries and
/// <see cref="BufferOptions.MaxBytes"/> payload bytes; and once the oldest entry is
/// <see cref="BufferOptions.MaxAge"/> old (monotonic clock) the buffer counts as overflowing,
/// even without a new write, until replay removes it.</para>
/// <para>Exactly once: replay records each entry replayed in the store (durably) right after the target
/// commits it, before moving on. Keys already replayed (remembered in process, at least the last
/// <see cref="BufferOptions.MaxEntries"/> plus every key of the current run) and keys already
/// buffered are not appended or delivered again. The one entry that may have been committed by the target but
/// not recorded (crash or failure in between) is the first entry of the next run; replay asks
/// <see cref="IBufferedWriteTarget.IsAppliedAsync"/> about it before delivering it. With a truthful answer no entry
/// is applied twice; without one, an entry is delivered at most 1 + k times after k failures struck between the
/// target committing it and its progress being recorded (the exact bound is on <see cref="IBufferedWriteTarget"/>).
/// Entries the store reported lost (damaged log) are never delivered; the store's report names them.</para>
/// <para>Replay must be triggered by the application (or the recovery orchestrator) once the database is back:
/// the overflow condition is cleared only by replay progress. The buffer does not own the store.</para>
/// </remarks>
public sealed class WriteBuffer : IAsyncDisposable
{
    private readonly IWalStore _store;
    private readonly IBufferedWriteTarget _target;
    private readonly EventBus _events;
    private readonly TimeProvider _time;
    private readonly int _maxEntries;
    private readonly long _maxBytes;
    private readonly TimeSpan _maxAge;
    private readonly object _lock = new();
    private readonly SortedSet<long> _order = [];
    private readonly Dictionary<long, PendingEntry> _pending = [];
    private readonly Dictionary<string, long> _pendingKeys = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Task<EnqueueResult>> _inFlight = new(StringComparer.Ordinal);
    private readonly RecentKeys _replayedKeys;
    private readonly SemaphoreSlim _replayLock = new(1, 1);
    private readonly ITimer _ageTimer;
    private int _reservedEntries;
    private long _reservedBytes;
    private long _bytes;
    private long _replayedThrough;
    private bool _overflowing;
    private string _overflowDetails = string.Empty;
    private bool _overflowReported;
    private bool _dbFailureReported;
    private bool _disposed;

    private WriteBuffer(IWalStore store, IBufferedWriteTarget target, EventBus events, DegradationOptions options, TimeProvider timeProvider)
    {
        _store = store;
        _target = target;
        _events = events;
        _time = timeProvider;
        _maxEntries = options.Buffer.MaxEntries;
        _maxBytes = options.Buffer.MaxBytes;
        _maxAge = options.Buffer.MaxAge;
        _replayedKeys = new RecentKeys(options.Buffer.MaxEntries);
        _ageTimer = timeProvider.CreateTimer(static state => ((WriteBuffer)state!).OnAgeTimer(), this, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
    }

    /// <summary>
    /// Opens a buffer over <paramref name="store"/>: entries already in the store (from a previous run) count
    /// toward the bounds, are replayed first, and report <c>db.write_fail_buffered</c> at once.
    /// </summary>
    /// <param name="store">Where entries are made durable. Not owned: dispose it after the buffer.</param>
    /// <param name="target">Where replay applies entries.</param>
    /// <param name="events">The bus the buffer reports to.</param>
    /// <param name="options">The bounds (<see cref="BufferOptions.MaxEntries"/>, <see cref="BufferOptions.MaxBytes"/>, <see cref="BufferOptions.MaxAge"/>); validated.</param>
    /// <param name="timeProvider">The clock; <see cref="TimeProvider.System"/> when null.</param>
    /// <param name="cancellationToken">Cancels reading the store.</param>
    /// <exception cref="DegradationOptionsException">An option is invalid; the message names it.</exception>
    public static async ValueTask<WriteBuffer> OpenAsync(IWalStore store, IBufferedWriteTarget target, EventBus events,
        DegradationOptions options, TimeProvider? timeProvider = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(target);
        ArgumentNullException.ThrowIfNull(events);
        ArgumentNullException.ThrowIfNull(options);
        options.ValidateAndThrow();
        var buffer = new WriteBuffer(store, target, events, options, timeProvider ?? TimeProvider.System);
        try
        {
            await buffer.LoadAsync(cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            await buffer.DisposeAsync().ConfigureAwait(false);
            throw;
        }
        return buffer;
    }

    /// <summary>Opens a buffer that reports to <paramref name="system"/>'s bus with its options and clock.</summary>
    /// <inheritdoc cref="OpenAsync(IWalStore, IBufferedWriteTarget, EventBus, DegradationOptions, TimeProvider, CancellationToken)"/>
    public static ValueTask<WriteBuffer> OpenAsync(DegradationSystem system, IWalStore store, IBufferedWriteTarget target, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(system);
        return OpenAsync(store, target, system.Bus, system.Options, system.TimeProvider, cancellationToken);
    }

    /// <summary>Entries buffered and not yet replayed (including writes being appended).</summary>
    public int Count { get { lock (_lock) return _pending.Count + _reservedEntries; } }

    /// <summary>Payload bytes buffered and not yet replayed (including writes being appended).</summary>
    public long Bytes { get { lock (_lock) return _bytes + _reservedBytes; } }

    /// <summary>True from the moment a bound is hit until the buffer is below its bounds again.</summary>
    public bool IsOverflowing { get { lock (_lock) return _overflowing; } }

    /// <summary>
    /// Buffers one write and completes once it is durable in the store. A write whose key is already buffered
    /// (or was recently replayed) is not appended again; the result says so.
    /// </summary>
    /// <param name="idempotentKey">Unique key of the write; replay applies each key once.</param>
    /// <param name="resourceType">The kind of resource (e.g. "order").</param>
    /// <param name="resourceId">The resource's id.</param>
    /// <param name="payload">The new state (copied as needed by the store).</param>
    /// <param name="oldState">The previous state, if known.</param>
    /// <param name="cancellationToken">Cancels before the append starts; once started, the append completes (durability cannot be undone).</param>
    /// <exception cref="WriteBufferOverflowException">A bound would be exceeded; the write was not buffered.</exception>
    /// <exception cref="ArgumentException">A key, type or id is null, empty or white space.</exception>
    public async ValueTask<EnqueueResult> EnqueueAsync(string idempotentKey, string resourceType, string resourceId,
        ReadOnlyMemory<byte> payload, ReadOnlyMemory<byte>? oldState = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(idempotentKey);
        ArgumentException.ThrowIfNullOrWhiteSpace(resourceType);
        ArgumentException.ThrowIfNullOrWhiteSpace(resourceId);
        cancellationToken.ThrowIfCancellationRequested();

        Task<EnqueueResult>? sameKey;
        TaskCompletionSource<EnqueueResult>? mine = null;
        lock (_lock)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            if (_pendingKeys.TryGetValue(idempotentKey, out var existing)) return new EnqueueResult(existing, EnqueueOutcome.AlreadyBuffered);
            if (!_inFlight.TryGetValue(idempotentKey, out sameKey))
            {
                if (_replayedKeys.Contains(idempotentKey)) return new EnqueueResult(0, EnqueueOutcome.AlreadyReplayed);
                CheckBoundsLocked(payload.Length, idempotentKey);
                _reservedEntries++;
                _reservedBytes += payload.Length;
                mine = new TaskCompletionSource<EnqueueResult>(TaskCreationOptions.RunContinuationsAsynchronously);
                _inFlight.Add(idempotentKey, mine.Task);
            }
        }
        if (mine is null)
        {
            var first = await sameKey!.ConfigureAwait(false);
            return first with { Outcome = EnqueueOutcome.AlreadyBuffered };
        }

        var record = new WalRecord
        {
            IdempotentKey = idempotentKey,
            ResourceType = resourceType,
            ResourceId = resourceId,
            Payload = payload,
            OldState = oldState,
            CreatedAt = _time.GetUtcNow(),
        };
        long sequence;
        try
        {
            var sequences = await _store.AppendAsync([record], cancellationToken).ConfigureAwait(false);
            if (sequences.Count != 1)
                throw new InvalidOperationException($"The WAL store returned {sequences.Count} sequence numbers for one record.");
            sequence = sequences[0];
        }
        catch (Exception ex)
        {
            lock (_lock)
            {
                _reservedEntries--;
                _reservedBytes -= payload.Length;
                _inFlight.Remove(idempotentKey);
            }
            mine.SetException(ex);
            _ = mine.Task.Exception; // observed: callers waiting on the same key get it from the task
            throw;
        }

        var result = new EnqueueResult(sequence, EnqueueOutcome.Buffered);
        lock (_lock)
        {
            _reservedEntries--;
            _reservedBytes -= payload.Length;
            _inFlight.Remove(idempotentKey);
            // A replay running concurrently may already have delivered and recorded this entry.
            if (sequence > _replayedThrough)
            {
                AddPendingLocked(sequence, new PendingEntry(idempotentKey, payload.Length, _time.GetTimestamp()));
                if (_overflowing && BelowBoundsLocked()) _overflowing = false;
            }
            PublishLocked();
        }
        mine.SetResult(result);
        return result;
    }

    /// <summary>
    /// Replays every buffered entry to the target in sequence order, recording each one replayed right after
    /// the target commits it, until the store has nothing left. One run at a time; usable as a recovery step.
    /// </summary>
    /// <returns>How many entries were replayed, skipped as duplicate keys, or found already applied.</returns>
    /// <exception cref="WriteBufferReplayException">The target failed an entry; replay resumes there next time.</exception>
    public async Task<ReplayResult> ReplayAsync(CancellationToken cancellationToken = default)
    {
        await _replayLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            lock (_lock) ObjectDisposedException.ThrowIf(_disposed, this);
            int replayed = 0, duplicates = 0, applied = 0;
            var first = true;
            while (true)
            {
                long after;
                lock (_lock) after = _replayedThrough;
                var any = false;
                await foreach (var entry in _store.ReadAsync(after, cancellationToken).ConfigureAwait(false))
                {
                    any = true;
                    var key = entry.Record.IdempotentKey;
                    bool duplicate;
                    lock (_lock) duplicate = _replayedKeys.Contains(key);
                    if (duplicate)
                    {
                        duplicates++;
                    }
                    else
                    {
                        try
                        {
                            if (first && await _target.IsAppliedAsync(entry, cancellationToken).ConfigureAwait(false))
                            {
                                applied++;
                            }
                            else
                            {
                                await _target.WriteAsync(entry, cancellationToken).ConfigureAwait(false);
                                replayed++;
                            }
                        }
                        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
                        {
                            throw;
                        }
                        catch (Exception ex)
                        {
                            throw new WriteBufferReplayException(entry.Sequence, key, new ReplayResult(replayed, duplicates, applied, Count), ex);
                        }
                    }
                    first = false;
                    await _store.MarkReplayedAsync(entry.Sequence, cancellationToken).ConfigureAwait(false);
                    lock (_lock) OnReplayedLocked(entry.Sequence, key);
                }
                if (!any) break;
            }
            lock (_lock)
            {
                _replayedKeys.Trim();
                if (_overflowing && BelowBoundsLocked()) _overflowing = false;
                PublishLocked();
                return new ReplayResult(replayed, duplicates, applied, _pending.Count + _reservedEntries);
            }
        }
        finally
        {
            _replayLock.Release();
        }
    }

    /// <summary>Stops the age timer. Enqueue and replay fail afterwards; the store is not disposed.</summary>
    public async ValueTask DisposeAsync()
    {
        lock (_lock)
        {
            if (_disposed) return;
            _disposed = true;
        }
        await _ageTimer.DisposeAsync().ConfigureAwait(false);
    }

    private async Task LoadAsync(CancellationToken cancellationToken)
    {
        var now = _time.GetTimestamp();
        var wallNow = _time.GetUtcNow();
        var stats = await _store.GetStatsAsync(cancellationToken).ConfigureAwait(false);
        var firstSequence = 0L;
        await foreach (var entry in _store.ReadAsync(0, cancellationToken).ConfigureAwait(false))
        {
            if (firstSequence == 0) firstSequence = entry.Sequence;
            var age = wallNow - entry.Record.CreatedAt;
            if (age < TimeSpan.Zero) age = TimeSpan.Zero;
            var enqueuedAt = now - (long)(age.TotalSeconds * _time.TimestampFrequency);
            lock (_lock) AddPendingLocked(entry.Sequence, new PendingEntry(entry.Record.IdempotentKey, entry.Record.Payload.Length, enqueuedAt));
        }
        lock (_lock)
        {
            _replayedThrough = firstSequence > 0 ? firstSequence - 1 : stats.LastSequence;
            if (_pending.Count > _maxEntries) SetOverflowLocked(WriteBufferBound.Entries, _maxEntries, _pending.Count);
            else if (_bytes > _maxBytes) SetOverflowLocked(WriteBufferBound.Bytes, _maxBytes, _bytes);
            else if (OldestAgeLocked() is { } oldest && oldest >= _maxAge) SetOverflowLocked(WriteBufferBound.Age, _maxAge.TotalSeconds, oldest.TotalSeconds);
            PublishLocked();
        }
    }

    private void CheckBoundsLocked(int payloadBytes, string key)
    {
        var entries = _pending.Count + _reservedEntries;
        if (entries + 1 > _maxEntries) throw Overflow(WriteBufferBound.Entries, _maxEntries, entries + 1, key);
        var bytes = _bytes + _reservedBytes + payloadBytes;
        if (bytes > _maxBytes) throw Overflow(WriteBufferBound.Bytes, _maxBytes, bytes, key);
        if (OldestAgeLocked() is { } age && age >= _maxAge) throw Overflow(WriteBufferBound.Age, _maxAge.TotalSeconds, age.TotalSeconds, key);
    }

    private WriteBufferOverflowException Overflow(WriteBufferBound bound, double limit, double actual, string key)
    {
        SetOverflowLocked(bound, limit, actual);
        PublishLocked();
        return new WriteBufferOverflowException(bound, limit, actual, key);
    }

    private void SetOverflowLocked(WriteBufferBound bound, double limit, double actual)
    {
        if (_overflowing) return;
        _overflowing = true;
        _overflowDetails = string.Create(CultureInfo.InvariantCulture,
            $"{WriteBufferOverflowException.OptionName(bound)}={limit} reached ({actual}); {_pending.Count} entries, {_bytes} bytes buffered");
    }

    private bool BelowBoundsLocked() =>
        _pending.Count + _reservedEntries < _maxEntries
        && _bytes + _reservedBytes < _maxBytes
        && (OldestAgeLocked() is not { } age || age < _maxAge);

    private TimeSpan? OldestAgeLocked() =>
        _order.Count == 0 ? null : _time.GetElapsedTime(_pending[_order.Min].EnqueuedAt);

    private void AddPendingLocked(long sequence, PendingEntry entry)
    {
        if (!_pending.TryAdd(sequence, entry)) return;
        var wasEmpty = _order.Count == 0;
        _order.Add(sequence);
        _bytes += entry.Bytes;
        _pendingKeys.TryAdd(entry.Key, sequence);
        if (wasEmpty || _order.Min == sequence) ScheduleAgeCheckLocked();
    }

    private void OnReplayedLocked(long sequence, string key)
    {
        if (sequence > _replayedThrough) _replayedThrough = sequence;
        _replayedKeys.Add(key);
        if (_pending.Remove(sequence, out var entry))
        {
            var wasOldest = _order.Min == sequence;
            _order.Remove(sequence);
            _bytes -= entry.Bytes;
            if (_pendingKeys.TryGetValue(entry.Key, out var s) && s == sequence) _pendingKeys.Remove(entry.Key);
            if (wasOldest) ScheduleAgeCheckLocked();
        }
        if (_overflowing && BelowBoundsLocked()) _overflowing = false;
        PublishLocked();
    }

    private void ScheduleAgeCheckLocked()
    {
        if (_disposed) return;
        if (OldestAgeLocked() is not { } age)
        {
            _ageTimer.Change(Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
            return;
        }
        var due = _maxAge - age;
        _ageTimer.Change(due > TimeSpan.Zero ? due : TimeSpan.Zero, Timeout.InfiniteTimeSpan);
    }

    private void OnAgeTimer()
    {
        lock (_lock)
        {
            if (_disposed || _overflowing) return;
            if (OldestAgeLocked() is not { } age) return;
            if (age >= _maxAge)
            {
                SetOverflowLocked(WriteBufferBound.Age, _maxAge.TotalSeconds, age.TotalSeconds);
                PublishLocked();
            }
            else
            {
                ScheduleAgeCheckLocked();
            }
        }
    }

    // Publishes the difference between the buffer's state and what it last told the state machine. Called under the
    // lock so that reports are published in the order the state changed; a dropped event is retried on the next change.
    // The buffer speaks only when its state changes: its reports never expire (SystemEvent.UntilChanged).
    private void PublishLocked()
    {
        if (_overflowing && !_overflowReported)
        {
            _overflowReported = _events.Publish(EventType.FailCritical, ComponentId.WriteBuffer, ReasonCode.DbBufferOverflow, _overflowDetails, SystemEvent.UntilChanged, source: ConditionSource.WriteBuffer);
        }
        else if (!_overflowing && _overflowReported)
        {
            _overflowReported = !_events.Publish(EventType.Recovered, ComponentId.WriteBuffer, ReasonCode.ComponentRecovered, "write buffer below its bounds again", SystemEvent.UntilChanged, source: ConditionSource.WriteBuffer);
        }

        if (_pending.Count > 0 && !_dbFailureReported)
        {
            _dbFailureReported = _events.Publish(EventType.FailSupport, ComponentId.Db, ReasonCode.DbWriteFailBuffered, ttl: SystemEvent.UntilChanged, source: ConditionSource.WriteBuffer, details:
                string.Create(CultureInfo.InvariantCulture, $"{_pending.Count} database writes buffered"));
        }
        else if (_pending.Count == 0 && _reservedEntries == 0 && _dbFailureReported)
        {
            _dbFailureReported = !_events.Publish(EventType.Recovered, ComponentId.Db, ReasonCode.ComponentRecovered, "write buffer drained", SystemEvent.UntilChanged, source: ConditionSource.WriteBuffer);
        }
    }

    private readonly record struct PendingEntry(string Key, int Bytes, long EnqueuedAt);
}
