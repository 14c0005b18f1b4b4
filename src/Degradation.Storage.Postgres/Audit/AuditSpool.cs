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
/// with an alert — exactly what a spool needs, so nothing is re-implemented here. One record is one row as JSON.
/// </summary>
internal sealed class AuditSpool : IAsyncDisposable
{
    private const string ResourceType = "mode_transition";
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
    public async ValueTask AppendAsync(AuditRow row, CancellationToken cancellationToken)
    {
        var record = new WalRecord
        {
            IdempotentKey = $"{row.ProcessId}#{row.Sequence}",
            ResourceType = ResourceType,
            ResourceId = row.Sequence.ToString(System.Globalization.CultureInfo.InvariantCulture),
            Payload = JsonSerializer.SerializeToUtf8Bytes(row, AuditRowJsonContext.Default.AuditRow),
            CreatedAt = _time.GetUtcNow(),
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
    public async IAsyncEnumerable<(long Position, AuditRow Row)> ReadAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await foreach (var entry in _wal.ReadAsync(0, cancellationToken).ConfigureAwait(false))
        {
            var row = JsonSerializer.Deserialize(entry.Record.Payload.Span, AuditRowJsonContext.Default.AuditRow)
                      ?? throw new InvalidDataException($"Audit spool record {entry.Sequence} in {DirectoryPath} is empty.");
            yield return (entry.Sequence, row);
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
