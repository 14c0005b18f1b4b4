using System.Runtime.CompilerServices;
using Degradation.Buffering;
using Npgsql;
using NpgsqlTypes;

namespace Degradation.Storage.Postgres;

/// <summary>
/// An <see cref="IWalStore"/> over the <c>db_buffer_wal</c> table. An append commits (so it is as
/// durable as the server's <c>synchronous_commit</c> setting makes it) before it returns.
/// <para>
/// Payloads: the exact bytes are kept in <c>payload</c>/<c>old_payload</c> (<c>bytea</c>) and returned
/// unchanged by <see cref="ReadAsync"/>; <c>new_state</c>/<c>old_state</c> (<c>jsonb</c>) hold a queryable
/// copy — the parsed JSON, or <c>{"$base64": "..."}</c> when the bytes are not valid UTF-8 JSON (jsonb alone
/// would reorder keys and reformat numbers, so it cannot be the replay source).
/// </para>
/// <para>
/// Ordering: appends to one stream take a transaction-scoped advisory lock, so sequence numbers (the
/// table's identity) are assigned in commit order and a reader never sees a gap that a later commit fills —
/// <see cref="MarkReplayedAsync"/> up to a sequence it has read can never mark an unread entry.
/// </para>
/// <para>
/// Idempotency: appending a key that the stream already holds stores nothing and returns the existing
/// entry's sequence (the first write of a key wins; replay applies each key once).
/// </para>
/// </summary>
public sealed class PostgresWalStore : IWalStore
{
    private readonly NpgsqlDataSource _dataSource;
    private readonly bool _ownsDataSource;
    private readonly TimeProvider _time;
    private readonly PostgresWalStoreOptions _options;
    private readonly string _table;
    private readonly long _lockKey;
    private readonly string _insertSql;
    private int _disposed;

    /// <summary>Creates a store over <paramref name="dataSource"/> (not disposed by the store).</summary>
    /// <exception cref="ArgumentException">An option is invalid; the message names it.</exception>
    public PostgresWalStore(NpgsqlDataSource dataSource, PostgresWalStoreOptions? options = null, TimeProvider? timeProvider = null)
        : this(dataSource, false, options, timeProvider)
    {
    }

    /// <summary>Creates a store that connects with <paramref name="connectionString"/>.</summary>
    /// <exception cref="ArgumentException">The connection string is empty or an option is invalid.</exception>
    public PostgresWalStore(string connectionString, PostgresWalStoreOptions? options = null, TimeProvider? timeProvider = null)
        : this(NpgsqlDataSource.Create(RequireConnectionString(connectionString)), true, options, timeProvider)
    {
    }

    private PostgresWalStore(NpgsqlDataSource dataSource, bool ownsDataSource, PostgresWalStoreOptions? options, TimeProvider? timeProvider)
    {
        ArgumentNullException.ThrowIfNull(dataSource);
        _options = options ?? new PostgresWalStoreOptions();
        _options.Validate();
        _dataSource = dataSource;
        _ownsDataSource = ownsDataSource;
        _time = timeProvider ?? TimeProvider.System;
        var names = new SqlNames(_options.Schema);
        _table = names.Table("db_buffer_wal");
        _lockKey = SqlNames.LockKey("degradation.wal:" + names.Schema + ":" + _options.Stream);
        var toJson = names.Quoted + ".degradation_bytes_to_jsonb";
        _insertSql = $"""
            INSERT INTO {_table} (stream, idempotent_key, resource_type, resource_id, old_state, new_state, payload, old_payload, created_at)
            SELECT @stream, u.k, u.t, u.r, CASE WHEN u.o IS NULL THEN NULL ELSE {toJson}(u.o) END, {toJson}(u.p), u.p, u.o, u.c
            FROM unnest(@keys, @types, @ids, @payloads, @olds, @created) WITH ORDINALITY AS u(k, t, r, p, o, c, ord)
            ORDER BY u.ord
            ON CONFLICT (stream, idempotent_key) DO NOTHING
            RETURNING idempotent_key, id
            """;
    }

    /// <summary>The stream this store reads and writes.</summary>
    public string Stream => _options.Stream;

    /// <inheritdoc />
    public async ValueTask<IReadOnlyList<long>> AppendAsync(IReadOnlyList<WalRecord> records, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(records);
        cancellationToken.ThrowIfCancellationRequested();
        ThrowIfDisposed();
        if (records.Count == 0) return [];

        var keys = new string[records.Count];
        var types = new string[records.Count];
        var ids = new string[records.Count];
        var payloads = new byte[records.Count][];
        var olds = new byte[]?[records.Count];
        var created = new DateTime[records.Count];
        for (var i = 0; i < records.Count; i++)
        {
            var record = records[i] ?? throw new ArgumentException($"records[{i}] is null.", nameof(records));
            keys[i] = record.IdempotentKey;
            types[i] = record.ResourceType;
            ids[i] = record.ResourceId;
            payloads[i] = record.Payload.ToArray();
            olds[i] = record.OldState?.ToArray();
            created[i] = record.CreatedAt.UtcDateTime;
        }

        await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        await using (var lockCommand = new NpgsqlCommand("SELECT pg_advisory_xact_lock(@key)", connection, transaction))
        {
            lockCommand.Parameters.AddWithValue("key", _lockKey);
            await lockCommand.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        var assigned = new Dictionary<string, long>(StringComparer.Ordinal);
        await using (var insert = new NpgsqlCommand(_insertSql, connection, transaction))
        {
            insert.Parameters.AddWithValue("stream", _options.Stream);
            insert.Parameters.Add(new NpgsqlParameter("keys", NpgsqlDbType.Array | NpgsqlDbType.Text) { Value = keys });
            insert.Parameters.Add(new NpgsqlParameter("types", NpgsqlDbType.Array | NpgsqlDbType.Text) { Value = types });
            insert.Parameters.Add(new NpgsqlParameter("ids", NpgsqlDbType.Array | NpgsqlDbType.Text) { Value = ids });
            insert.Parameters.Add(new NpgsqlParameter("payloads", NpgsqlDbType.Array | NpgsqlDbType.Bytea) { Value = payloads });
            insert.Parameters.Add(new NpgsqlParameter("olds", NpgsqlDbType.Array | NpgsqlDbType.Bytea) { Value = olds });
            insert.Parameters.Add(new NpgsqlParameter("created", NpgsqlDbType.Array | NpgsqlDbType.TimestampTz) { Value = created });
            await using var reader = await insert.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                assigned[reader.GetString(0)] = reader.GetInt64(1);
        }

        var missing = keys.Where(k => !assigned.ContainsKey(k)).Distinct(StringComparer.Ordinal).ToArray();
        if (missing.Length > 0)
        {
            // Keys the stream already held: report the existing entries' sequences.
            await using var existing = new NpgsqlCommand($"SELECT idempotent_key, id FROM {_table} WHERE stream = @stream AND idempotent_key = ANY(@keys)", connection, transaction);
            existing.Parameters.AddWithValue("stream", _options.Stream);
            existing.Parameters.Add(new NpgsqlParameter("keys", NpgsqlDbType.Array | NpgsqlDbType.Text) { Value = missing });
            await using var reader = await existing.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                assigned[reader.GetString(0)] = reader.GetInt64(1);
        }

        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        var sequences = new long[keys.Length];
        for (var i = 0; i < keys.Length; i++) sequences[i] = assigned[keys[i]];
        return sequences;
    }

    /// <inheritdoc />
    public async IAsyncEnumerable<WalEntry> ReadAsync(long afterSequence = 0, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ThrowIfDisposed();
        var after = afterSequence;
        while (true)
        {
            var page = new List<WalEntry>(Math.Min(_options.ReadPageSize, 64));
            await using (var connection = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false))
            await using (var command = new NpgsqlCommand($"""
                SELECT id, idempotent_key, resource_type, resource_id, payload, old_payload, created_at
                FROM {_table}
                WHERE stream = @stream AND replayed_at IS NULL AND id > @after
                ORDER BY id
                LIMIT @limit
                """, connection))
            {
                command.Parameters.AddWithValue("stream", _options.Stream);
                command.Parameters.AddWithValue("after", after);
                command.Parameters.AddWithValue("limit", _options.ReadPageSize);
                await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
                while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                {
                    var record = new WalRecord
                    {
                        IdempotentKey = reader.GetString(1),
                        ResourceType = reader.GetString(2),
                        ResourceId = reader.GetString(3),
                        Payload = reader.GetFieldValue<byte[]>(4),
                        OldState = reader.IsDBNull(5) ? (ReadOnlyMemory<byte>?)null : reader.GetFieldValue<byte[]>(5),
                        CreatedAt = reader.GetFieldValue<DateTimeOffset>(6),
                    };
                    page.Add(new WalEntry(reader.GetInt64(0), record));
                }
            }
            foreach (var entry in page) yield return entry;
            if (page.Count < _options.ReadPageSize) yield break;
            after = page[^1].Sequence;
        }
    }

    /// <inheritdoc />
    public async ValueTask MarkReplayedAsync(long sequence, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        ThrowIfDisposed();
        await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var command = new NpgsqlCommand(
            $"UPDATE {_table} SET replayed_at = @now WHERE stream = @stream AND replayed_at IS NULL AND id <= @sequence", connection);
        command.Parameters.AddWithValue("now", _time.GetUtcNow().UtcDateTime);
        command.Parameters.AddWithValue("stream", _options.Stream);
        command.Parameters.AddWithValue("sequence", sequence);
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async ValueTask<WalStats> GetStatsAsync(CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        ThrowIfDisposed();
        await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var command = new NpgsqlCommand($"""
            SELECT count(*) FILTER (WHERE replayed_at IS NULL),
                   coalesce(sum(octet_length(payload)) FILTER (WHERE replayed_at IS NULL), 0)::bigint,
                   min(created_at) FILTER (WHERE replayed_at IS NULL),
                   coalesce(max(id), 0)
            FROM {_table} WHERE stream = @stream
            """, connection);
        command.Parameters.AddWithValue("stream", _options.Stream);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        await reader.ReadAsync(cancellationToken).ConfigureAwait(false);
        return new WalStats(
            reader.GetInt64(0),
            reader.GetInt64(1),
            reader.IsDBNull(2) ? null : reader.GetFieldValue<DateTimeOffset>(2),
            reader.GetInt64(3));
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0) return;
        if (_ownsDataSource) await _dataSource.DisposeAsync().ConfigureAwait(false);
    }

    private void ThrowIfDisposed() => ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);

    private static string RequireConnectionString(string connectionString)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionString);
        return connectionString;
    }
}
