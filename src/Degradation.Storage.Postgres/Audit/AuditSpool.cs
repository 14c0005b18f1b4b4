using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text.Json;
using Degradation.Alerts;
using Degradation.Buffering;
using Degradation.Storage.File;

namespace Degradation.Storage.Postgres;

/// <summary>
/// The audit's local spool: rows the database could not take, kept on disk until they are written. It is a
/// <see cref="FileWalStore"/> (the embedded file store): every append is CRC-checked and fsync'd before it
/// returns, the directory is locked to one process, a torn tail is recovered and a corrupt segment is quarantined
/// with an alert — exactly what a spool needs, so nothing is re-implemented here. One record is one row as JSON; its
/// resource type says which: <c>mode_transition</c> (an <see cref="AuditRow"/>, the only kind spools held before audit
/// records were stored, so such a spool drains unchanged) or <c>audit_record</c> (an <see cref="AuditRecordRow"/>).
/// Both kinds share one sequence of positions, so they drain in the order they were spooled.
/// </summary>
internal sealed class AuditSpool : IAsyncDisposable
{
    internal const string TransitionType = "mode_transition";
    internal const string RecordType = "audit_record";
    private readonly FileWalStore _wal;
    private readonly TimeProvider _time;
    private long _depth;

    private AuditSpool(FileWalStore wal, TimeProvider time, long depth)
    {
        _wal = wal;
        _time = time;
        _depth = depth;
    }

    public string DirectoryPath => _wal.DirectoryPath;

    /// <summary>Rows spooled and not yet written to the database (those left by an earlier run included).</summary>
    public long Depth => Interlocked.Read(ref _depth);

    public static async Task<AuditSpool> OpenAsync(string directory, IAlertSink? alertSink, TimeProvider time, CancellationToken cancellationToken)
    {
        var wal = await FileWalStore.OpenAsync(new FileWalStoreOptions
        {
            DirectoryPath = directory,
            SegmentSizeBytes = 4L * 1024 * 1024,
            MaxRecordBytes = 1024 * 1024,
            AlertSink = alertSink,
            TimeProvider = time,
        }, cancellationToken).ConfigureAwait(false);
        try
        {
            var stats = await wal.GetStatsAsync(cancellationToken).ConfigureAwait(false);
            return new AuditSpool(wal, time, stats.Entries);
        }
        catch
        {
            await wal.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>Appends <paramref name="row"/>; returns once it is durable on disk.</summary>
    public async ValueTask AppendAsync(IAuditSpoolRow row, CancellationToken cancellationToken)
    {
        var (key, resourceType, sequence, payload) = row switch
        {
            AuditRow transition => ($"{transition.ProcessId}#{transition.Sequence}", TransitionType, transition.Sequence,
                JsonSerializer.SerializeToUtf8Bytes(transition, AuditRowJsonContext.Default.AuditRow)),
            AuditRecordRow audit => ($"{audit.ProcessId}#record#{audit.Id:N}", RecordType, audit.Sequence,
                JsonSerializer.SerializeToUtf8Bytes(audit, AuditRowJsonContext.Default.AuditRecordRow)),
            _ => throw new ArgumentException($"The audit spool keeps transitions and audit records, not {row?.GetType().Name ?? "null"}.", nameof(row)),
        };
        var record = new WalRecord
        {
            IdempotentKey = key, ResourceType = resourceType, ResourceId = sequence.ToString(CultureInfo.InvariantCulture),
            Payload = payload, CreatedAt = _time.GetUtcNow(),
        };
        // Counted before it lands, so a reader that writes it at once never drives the depth below zero.
        Interlocked.Increment(ref _depth);
        try
        {
            await _wal.AppendAsync([record], cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            Interlocked.Decrement(ref _depth);
            throw;
        }
    }

    /// <summary>The spooled rows, oldest first, with the position to pass to <see cref="MarkWrittenAsync"/>.</summary>
    /// <exception cref="InvalidDataException">A record is empty or of a kind this version does not know (written by a newer one).</exception>
    public async IAsyncEnumerable<(long Position, IAuditSpoolRow Row)> ReadAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await foreach (var entry in _wal.ReadAsync(0, cancellationToken).ConfigureAwait(false))
        {
            IAuditSpoolRow? row = entry.Record.ResourceType switch
            {
                TransitionType => JsonSerializer.Deserialize(entry.Record.Payload.Span, AuditRowJsonContext.Default.AuditRow),
                RecordType => JsonSerializer.Deserialize(entry.Record.Payload.Span, AuditRowJsonContext.Default.AuditRecordRow),
                var other => throw new InvalidDataException(
                    $"Audit spool record {entry.Sequence} in {DirectoryPath} is of kind '{other}', which this version does not know " +
                    $"(it keeps '{TransitionType}' and '{RecordType}'); a newer version wrote it. It stays in the spool."),
            };
            yield return (entry.Sequence, row ?? throw new InvalidDataException($"Audit spool record {entry.Sequence} in {DirectoryPath} is empty."));
        }
    }

    /// <summary>Forgets every row up to <paramref name="position"/>: they are in the database.</summary>
    public async ValueTask MarkWrittenAsync(long position, CancellationToken cancellationToken)
    {
        await _wal.MarkReplayedAsync(position, cancellationToken).ConfigureAwait(false);
        Interlocked.Decrement(ref _depth);
    }

    public ValueTask DisposeAsync() => _wal.DisposeAsync();
}
