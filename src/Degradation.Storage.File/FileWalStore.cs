using System.Buffers;
using System.Runtime.CompilerServices;
using Degradation.Alerts;
using Degradation.Buffering;
using Degradation.Events;
using Degradation.Storage.File.Format;
using Degradation.Storage.File.Losses;
using Degradation.Storage.File.Recovery;
using Degradation.Storage.File.Segments;
using Microsoft.Win32.SafeHandles;

namespace Degradation.Storage.File;

/// <summary>
/// The embedded default <see cref="IWalStore"/>: a directory of segment files holding CRC-32C-checksummed,
/// length-prefixed, sequence-numbered records (the layout is described in the package README).
/// </summary>
/// <remarks>
/// <para>Durability: an append completes only after its bytes are written and flushed to disk
/// (<see cref="RandomAccess.FlushToDisk"/>). Group commit: while one flush runs, further appends queue and the next
/// flush writes them all with one write and one fsync; an uncontended append is written and flushed by its own caller.</para>
/// <para>Recovery on open: fully replayed segments are deleted, every record is checked, a torn write after the last
/// acknowledged record of the newest segment is cut off (every record says what was durable before it was written,
/// which is how the two are told apart), and every other gap in the sequence — damage, a segment cut short, a
/// missing segment — is reported once with its exact range, durably in a loss journal before any file is repaired,
/// through <see cref="FileWalStoreOptions.CorruptionDetected"/>, <see cref="FileWalStoreOptions.AlertSink"/> and
/// <see cref="Recovery"/> (again on the next open if delivery failed). Damaged segments are quarantined (see
/// <see cref="FileWalStoreOptions.FailOnCorruption"/>). Lost sequence numbers are never handed out again.</para>
/// <para>Replay progress: <see cref="MarkReplayedAsync"/> writes a durable checkpoint before it returns, then deletes
/// segments that hold only replayed records. One process at a time: the directory's lock file is held exclusively.</para>
/// </remarks>
public sealed class FileWalStore : IWalStore
{
    private const int ReadChunkBytes = 1024 * 1024;

    private readonly FileWalStoreOptions _options;
    private readonly DirectoryLock _directoryLock;
    private readonly CheckpointFile _checkpoint;
    private readonly LossJournal _journal;
    private readonly List<LossReport> _undelivered;
    private readonly object _state = new();
    private readonly List<Segment> _segments;
    private readonly SemaphoreSlim _markLock = new(1, 1);
    private SafeFileHandle _activeHandle;
    private List<PendingAppend> _queue = [];
    private List<PendingAppend> _spareQueue = [];
    private long _nextSequence;
    private long _durableSequence;
    private long _replayedThrough;
    private long _unreplayedEntries;
    private long _unreplayedBytes;
    private long _dataFlushes;
    private bool _flushing;
    private int _queuedAppends; // _queue.Count, readable without the lock by the flusher's hold
    private TaskCompletionSource? _idle;
    private Thread? _flusherThread;
    private readonly SemaphoreSlim _flusherWake = new(0);
    private volatile bool _flusherStop;
    private long _fsyncTicksAverage;
    private Exception? _fault;
    private bool _disposed;

    private FileWalStore(FileWalStoreOptions options, string directory, DirectoryLock directoryLock, CheckpointFile checkpoint, RecoveredLog log)
    {
        _options = options;
        DirectoryPath = directory;
        _directoryLock = directoryLock;
        _checkpoint = checkpoint;
        _segments = log.Segments;
        _activeHandle = log.ActiveHandle;
        _nextSequence = log.NextSequence;
        _durableSequence = log.NextSequence - 1;
        _replayedThrough = checkpoint.ReplayedThrough;
        _unreplayedEntries = log.UnreplayedEntries;
        _unreplayedBytes = log.UnreplayedBytes;
        Recovery = log.Report;
        _journal = log.Journal;
        _undelivered = log.Undelivered;
    }

    /// <summary>The WAL directory (full path).</summary>
    public string DirectoryPath { get; }

    /// <summary>What opening found and did: torn tail truncated, corruption quarantined, entries recovered, time taken.</summary>
    public WalRecoveryReport Recovery { get; }

    /// <summary>Data flushes (fsyncs) done for appends so far; fewer than appends when group commit batched them.</summary>
    internal long DataFlushCount => Interlocked.Read(ref _dataFlushes);

    /// <summary>Test seam: runs on the flushing thread after a group is written, before its fsync.</summary>
    internal Action? BeforeDataFlush { get; set; }

    /// <summary>Segment files currently in use (for tests and diagnostics).</summary>
    internal int SegmentCount { get { lock (_state) return _segments.Count; } }

    /// <summary>
    /// Opens (creating if needed) the WAL in <see cref="FileWalStoreOptions.DirectoryPath"/>, takes its lock and
    /// runs recovery. Alerts for quarantined segments are sent before this completes.
    /// </summary>
    /// <exception cref="ArgumentException">An option is invalid; the message names it.</exception>
    /// <exception cref="WalDirectoryLockedException">Another store (in this or another process) has the directory open.</exception>
    /// <exception cref="WalCorruptedException">Damage found with <see cref="FileWalStoreOptions.FailOnCorruption"/>, or an unreadable checkpoint.</exception>
    /// <exception cref="UnsupportedWalVersionException">A file was written by an incompatible format version.</exception>
    public static async ValueTask<FileWalStore> OpenAsync(FileWalStoreOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        cancellationToken.ThrowIfCancellationRequested();
        var directory = Path.GetFullPath(options.DirectoryPath);
        Directory.CreateDirectory(directory);
        var directoryLock = DirectoryLock.Acquire(directory);
        CheckpointFile? checkpoint = null;
        FileWalStore store;
        try
        {
            checkpoint = CheckpointFile.Open(directory);
            var log = await Task.Run(() => WalRecovery.Run(options, directory, checkpoint.ReplayedThrough, cancellationToken), cancellationToken).ConfigureAwait(false);
            store = new FileWalStore(options, directory, directoryLock, checkpoint, log);
        }
        catch
        {
            checkpoint?.Dispose();
            directoryLock.Dispose();
            throw;
        }
        await store.ReportCorruptionsAsync(cancellationToken).ConfigureAwait(false);
        return store;
    }

    /// <inheritdoc />
    /// <remarks>
    /// Cancellation is honoured until the records are queued; after that the append completes (it may already be
    /// on disk). Throws <see cref="ArgumentException"/> for a record above <see cref="FileWalStoreOptions.MaxRecordBytes"/>
    /// or with an empty key, type or id, and <see cref="WalStoreFaultedException"/> after a failed write or fsync.
    /// </remarks>
    public ValueTask<IReadOnlyList<long>> AppendAsync(IReadOnlyList<WalRecord> records, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(records);
        cancellationToken.ThrowIfCancellationRequested();
        if (records.Count == 0)
        {
            lock (_state) ObjectDisposedException.ThrowIf(_disposed, this);
            return ValueTask.FromResult<IReadOnlyList<long>>([]);
        }
        var append = PendingAppend.Encode(records, _options.MaxRecordBytes);
        bool lead;
        lock (_state)
        {
            if (_disposed || _fault is not null)
            {
                append.ReleaseBuffer();
                ObjectDisposedException.ThrowIf(_disposed, this);
                throw new WalStoreFaultedException(DirectoryPath, _fault!);
            }
            append.Number(_nextSequence);
            _nextSequence += append.Records.Length;
            _queue.Add(append);
            _queuedAppends = _queue.Count;
            lead = !_flushing;
            if (lead) _flushing = true;
        }
        // An uncontended append is written and flushed by its caller (no thread hand-off: one fsync of latency).
        // If more appends queued meanwhile, the dedicated flusher thread takes the role over so this caller can
        // return; it keeps it while appends keep coming (blocking fsyncs never occupy pool threads).
        if (lead && FlushOneGroup(holdForReturning: false)) WakeFlusher();
        return new ValueTask<IReadOnlyList<long>>(append.Completion.Task);
    }

    /// <inheritdoc />
    /// <remarks>Every record is checked again as it is read; damage that appeared since opening throws <see cref="WalCorruptedException"/>.</remarks>
    public async IAsyncEnumerable<WalEntry> ReadAsync(long afterSequence = 0, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var plan = new List<(Segment Segment, RecordInfo[] Items, int From, int To)>();
        lock (_state)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            var after = Math.Max(afterSequence, _replayedThrough);
            foreach (var segment in _segments)
            {
                var (items, count) = segment.Index.Snapshot();
                var from = segment.Index.FirstAfter(after);
                if (from < count) plan.Add((segment, items, from, count));
            }
        }

        var buffer = ArrayPool<byte>.Shared.Rent(64 * 1024);
        try
        {
            foreach (var (segment, items, from, to) in plan)
            {
                SafeFileHandle handle;
                try
                {
                    handle = System.IO.File.OpenHandle(segment.Path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
                }
                catch (FileNotFoundException) when (items[to - 1].Sequence <= Interlocked.Read(ref _replayedThrough))
                {
                    continue; // replayed and deleted meanwhile
                }
                using (handle)
                {
                    var i = from;
                    while (i < to)
                    {
                        cancellationToken.ThrowIfCancellationRequested();
                        long start = items[i].Offset;
                        var end = start + items[i].Length;
                        var j = i + 1;
                        while (j < to && items[j].Offset == end && end + items[j].Length - start <= ReadChunkBytes)
                        {
                            end += items[j].Length;
                            j++;
                        }
                        var size = (int)(end - start);
                        if (buffer.Length < size)
                        {
                            ArrayPool<byte>.Shared.Return(buffer);
                            buffer = ArrayPool<byte>.Shared.Rent(size);
                        }
                        await ReadExactlyAsync(handle, segment.Path, buffer.AsMemory(0, size), start, cancellationToken).ConfigureAwait(false);
                        for (var k = i; k < j; k++)
                        {
                            var offset = (int)(items[k].Offset - start);
                            var status = RecordCodec.TryRead(buffer.AsSpan(0, size), offset, items[k].Sequence, items[k].Sequence, _options.MaxRecordBytes, out _);
                            if (status != RecordStatus.Valid)
                                throw new WalCorruptedException(segment.Path, items[k].Offset, $"record {items[k].Sequence} was valid when the WAL was opened or written but now reads as {status}");
                            yield return new WalEntry(items[k].Sequence, RecordCodec.Decode(buffer.AsSpan(offset, items[k].Length)));
                        }
                        i = j;
                    }
                }
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <inheritdoc />
    /// <remarks>
    /// Writes the checkpoint durably (write + fsync) before returning, then deletes segment files that hold only
    /// replayed records. Throws <see cref="ArgumentOutOfRangeException"/> for a sequence beyond the last durable one.
    /// </remarks>
    public async ValueTask MarkReplayedAsync(long sequence, CancellationToken cancellationToken = default)
    {
        await _markLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        List<Segment> obsolete = [];
        try
        {
            lock (_state)
            {
                ObjectDisposedException.ThrowIf(_disposed, this);
                if (sequence <= _replayedThrough) return;
                if (sequence > _durableSequence)
                    throw new ArgumentOutOfRangeException(nameof(sequence), sequence, $"Cannot mark sequence {sequence} replayed: the last durable sequence is {_durableSequence}.");
            }
            _checkpoint.Write(sequence);
            lock (_state)
            {
                Interlocked.Exchange(ref _replayedThrough, sequence);
                for (var s = 0; s < _segments.Count; s++)
                {
                    var index = _segments[s].Index;
                    while (index.HasUnreplayed && index[index.Head].Sequence <= sequence)
                    {
                        _unreplayedEntries--;
                        _unreplayedBytes -= index[index.Head].PayloadLength;
                        index.Head++;
                    }
                }
                CollectObsoleteLocked(obsolete);
            }
        }
        finally
        {
            _markLock.Release();
        }
        DeleteFiles(obsolete);
    }

    /// <inheritdoc />
    public ValueTask<WalStats> GetStatsAsync(CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        lock (_state)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            DateTimeOffset? oldest = null;
            foreach (var segment in _segments)
            {
                if (!segment.Index.HasUnreplayed) continue;
                oldest = new DateTimeOffset(segment.Index[segment.Index.Head].CreatedUtcTicks, TimeSpan.Zero);
                break;
            }
            return ValueTask.FromResult(new WalStats(_unreplayedEntries, _unreplayedBytes, oldest, _durableSequence));
        }
    }

    /// <summary>Waits for queued appends to be flushed, then closes the files and releases the directory lock.</summary>
    public async ValueTask DisposeAsync()
    {
        Task? idle = null;
        lock (_state)
        {
            if (_disposed) return;
            _disposed = true;
            if (_flushing)
            {
                _idle = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                idle = _idle.Task;
            }
        }
        if (idle is not null) await idle.ConfigureAwait(false);
        _flusherStop = true;
        if (_flusherThread is not null) _flusherWake.Release(); // idle, so it is waiting: let it exit
        await _markLock.WaitAsync().ConfigureAwait(false);
        try
        {
            _activeHandle.Dispose();
            _checkpoint.Dispose();
            _directoryLock.Dispose();
        }
        finally
        {
            _markLock.Release();
        }
    }

    private void WakeFlusher()
    {
        // Only the holder of the flushing role gets here, so creating the thread needs no further synchronization.
        if (_flusherThread is null)
        {
            _flusherThread = new Thread(static state => ((FileWalStore)state!).FlusherLoop())
            {
                IsBackground = true,
                Name = "FileWalStore flusher",
            };
            _flusherThread.Start(this);
        }
        _flusherWake.Release();
    }

    private void FlusherLoop()
    {
        while (true)
        {
            _flusherWake.Wait();
            if (_flusherStop) return;
            while (FlushOneGroup(holdForReturning: true))
            {
            }
        }
    }

    /// <summary>
    /// Writes and flushes every queued append as one group. Returns true when more appends queued meanwhile (the
    /// caller keeps the flushing role), false when the queue was empty and the role was released.
    /// </summary>
    /// <param name="holdForReturning">
    /// After completing the group, keep the next batch open until the appenders just released are back (or about
    /// half an fsync has passed). Without it, appenders split into cohorts that alternate between fsyncs — the one
    /// just released arrives while the other's fsync runs — and each waits for two fsyncs per append.
    /// </param>
    private bool FlushOneGroup(bool holdForReturning)
    {
        List<PendingAppend> group;
        lock (_state)
        {
            if (_queue.Count == 0) return ReleaseFlushingLocked();
            group = _queue;
            _queue = _spareQueue;
            _spareQueue = [];
            _queuedAppends = 0;
        }
        var committed = 0;
        try
        {
            WriteGroup(group, ref committed);
        }
        catch (Exception ex)
        {
            for (var i = 0; i < committed; i++) group[i].Complete(); // durable before the failure
            Fault(group.GetRange(committed, group.Count - committed), ex);
            return false;
        }
        var expected = Volatile.Read(ref _queuedAppends) + group.Count;
        foreach (var append in group) append.Complete();
        group.Clear();
        if (holdForReturning) HoldForReturning(expected);
        lock (_state)
        {
            if (_spareQueue.Count == 0) _spareQueue = group;
            return _queue.Count > 0 || ReleaseFlushingLocked();
        }
    }

    /// <summary>Spins (yielding the core to the appenders' continuations) until <paramref name="expected"/> appends are queued or half an average fsync has passed.</summary>
    private void HoldForReturning(int expected)
    {
        // The disk's own latency, so the real clock: a test clock must not stretch or freeze this hold.
        var clock = TimeProvider.System;
        var deadline = clock.GetTimestamp() + Math.Min(Interlocked.Read(ref _fsyncTicksAverage) / 2, clock.TimestampFrequency / 500);
        var spinner = default(SpinWait);
        while (Volatile.Read(ref _queuedAppends) < expected && clock.GetTimestamp() < deadline) spinner.SpinOnce(sleep1Threshold: -1);
    }

    private bool ReleaseFlushingLocked()
    {
        _flushing = false;
        _idle?.TrySetResult();
        return false;
    }

    private void WriteGroup(List<PendingAppend> group, ref int committed)
    {
        Segment active;
        lock (_state) active = _segments[^1];
        var offset = active.Length;
        var parts = new List<ReadOnlyMemory<byte>>(group.Count);
        var first = 0;
        for (var i = 0; i < group.Count; i++)
        {
            var append = group[i];
            if (offset > WalFormat.SegmentHeaderSize && offset + append.Length > _options.SegmentSizeBytes)
            {
                if (i > first) Commit(active, group, first, i, parts);
                committed = i;
                active = Rollover(append.FirstSequence);
                offset = active.Length;
                first = i;
                parts.Clear();
            }
            parts.Add(append.Bytes);
            offset += append.Length;
        }
        Commit(active, group, first, group.Count, parts);
        committed = group.Count;
    }

    /// <summary>Writes group[from..to) at the end of <paramref name="segment"/>, flushes, then makes the records visible.</summary>
    private void Commit(Segment segment, List<PendingAppend> group, int from, int to, List<ReadOnlyMemory<byte>> parts)
    {
        var start = segment.Length;
        // Only this flusher moves _durableSequence, so it is stable here: every record says what was durable before it.
        var durableThrough = Volatile.Read(ref _durableSequence);
        for (var i = from; i < to; i++) group[i].Seal(durableThrough);
        RandomAccess.Write(_activeHandle, parts, start);
        BeforeDataFlush?.Invoke();
        var flushStarted = TimeProvider.System.GetTimestamp();
        RandomAccess.FlushToDisk(_activeHandle);
        var flushTicks = TimeProvider.System.GetTimestamp() - flushStarted;
        var average = Interlocked.Read(ref _fsyncTicksAverage);
        Interlocked.Exchange(ref _fsyncTicksAverage, average == 0 ? flushTicks : ((average * 7) + flushTicks) / 8);
        Interlocked.Increment(ref _dataFlushes);
        lock (_state)
        {
            var offset = start;
            for (var i = from; i < to; i++)
            {
                var append = group[i];
                foreach (var record in append.Records)
                {
                    segment.Index.Add(record with { Offset = (int)(offset + record.Offset) });
                    _unreplayedEntries++;
                    _unreplayedBytes += record.PayloadLength;
                }
                offset += append.Length;
                _durableSequence = append.LastSequence;
            }
            segment.Length = offset;
        }
    }

    private Segment Rollover(long firstSequence)
    {
        var path = Path.Combine(DirectoryPath, WalFormat.SegmentFileName(firstSequence));
        var handle = WalRecovery.CreateSegment(DirectoryPath, path, firstSequence);
        var segment = new Segment(path, firstSequence, WalFormat.SegmentHeaderSize);
        SafeFileHandle previous;
        List<Segment> obsolete = [];
        lock (_state)
        {
            previous = _activeHandle;
            _activeHandle = handle;
            _segments.Add(segment);
            CollectObsoleteLocked(obsolete);
        }
        previous.Dispose();
        DeleteFiles(obsolete);
        return segment;
    }

    private void CollectObsoleteLocked(List<Segment> obsolete)
    {
        for (var s = _segments.Count - 2; s >= 0; s--)
        {
            if (_segments[s].Index.HasUnreplayed) continue;
            obsolete.Add(_segments[s]);
            _segments.RemoveAt(s);
        }
    }

    private static void DeleteFiles(List<Segment> obsolete)
    {
        foreach (var segment in obsolete)
        {
            try
            {
                System.IO.File.Delete(segment.Path);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                // Only replayed records: the next open deletes it (it lies below the checkpoint).
            }
        }
    }

    private void Fault(List<PendingAppend> group, Exception cause)
    {
        List<PendingAppend> queued;
        lock (_state)
        {
            _fault ??= cause;
            queued = _queue;
            _queue = [];
            _queuedAppends = 0;
            ReleaseFlushingLocked();
        }
        var error = new WalStoreFaultedException(DirectoryPath, cause);
        foreach (var append in group) append.Fail(error);
        foreach (var append in queued) append.Fail(error);
    }

    private static async ValueTask ReadExactlyAsync(SafeFileHandle handle, string path, Memory<byte> destination, long offset, CancellationToken cancellationToken)
    {
        var read = 0;
        while (read < destination.Length)
        {
            var n = await RandomAccess.ReadAsync(handle, destination[read..], offset + read, cancellationToken).ConfigureAwait(false);
            if (n == 0) throw new WalCorruptedException(path, offset + read, "the segment is shorter than its records (truncated since it was opened)");
            read += n;
        }
    }

    /// <summary>
    /// Delivers every undelivered loss report (callback, then alert) and marks the ones that went through in the
    /// loss journal. A report whose callback or alert failed stays undelivered and is delivered on the next open.
    /// </summary>
    private async ValueTask ReportCorruptionsAsync(CancellationToken cancellationToken)
    {
        var delivered = new List<LossReport>(_undelivered.Count);
        foreach (var report in _undelivered)
        {
            var corruption = report.Corruption;
            var ok = true;
            try
            {
                _options.CorruptionDetected?.Invoke(corruption);
            }
            catch (Exception)
            {
                ok = false; // a failing callback must not stop the store from opening; the journal keeps the report
            }
            if (_options.AlertSink is { } sink)
            {
                try
                {
                    await sink.SendAsync(new Alert
                    {
                        Severity = Severity.Critical,
                        Audience = "operators",
                        Title = corruption.LostUnreplayedEntries ? "Write-ahead log damaged: buffered writes lost" : "Write-ahead log damaged",
                        Message = corruption.ToString(),
                        Component = ComponentId.Db,
                        Reason = WalReasons.Corrupt,
                        Time = _options.TimeProvider.GetUtcNow(),
                    }, cancellationToken).ConfigureAwait(false);
                }
                catch (Exception) when (!cancellationToken.IsCancellationRequested)
                {
                    ok = false; // same: the alert sink is an observer
                }
            }
            if (ok) delivered.Add(report);
        }
        if (delivered.Count == 0) return;
        _options.RecoveryStepReached?.Invoke(RecoverySteps.Delivered);
        try
        {
            _journal.MarkDelivered(delivered);
        }
        catch (IOException)
        {
            // Not marked: delivered again on the next open, which errs on the side of telling twice.
        }
    }
}
