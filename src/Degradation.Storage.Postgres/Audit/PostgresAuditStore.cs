using Npgsql;
using NpgsqlTypes;

namespace Degradation.Storage.Postgres;

/// <summary>
/// An <see cref="IAuditStore"/> that writes every transition to seed 000's <c>mode_transitions</c> table, with
/// the process, host and sequence number (unique together, so a retried write is stored once). Attach it with
/// <see cref="DegradationStateMachine.AddAuditStore"/>: it runs on its own observer loop, so a slow or failing
/// database delays only the audit, never the state machine.
/// </summary>
public sealed class PostgresAuditStore : IAuditStore, IAsyncDisposable
{
    private readonly NpgsqlDataSource _dataSource;
    private readonly bool _ownsDataSource;
    private readonly TimeProvider _time;
    private readonly PostgresAuditStoreOptions _options;
    private readonly string _insertSql;
    private long _written;
    private long _retries;
    private int _disposed;

    /// <summary>Creates a store over <paramref name="dataSource"/> (not disposed by the store).</summary>
    /// <exception cref="ArgumentException">An option is invalid; the message names it.</exception>
    public PostgresAuditStore(NpgsqlDataSource dataSource, PostgresAuditStoreOptions? options = null, TimeProvider? timeProvider = null)
        : this(dataSource, false, options, timeProvider)
    {
    }

    /// <summary>Creates a store that connects with <paramref name="connectionString"/>.</summary>
    /// <exception cref="ArgumentException">The connection string is empty or an option is invalid.</exception>
    public PostgresAuditStore(string connectionString, PostgresAuditStoreOptions? options = null, TimeProvider? timeProvider = null)
        : this(NpgsqlDataSource.Create(string.IsNullOrWhiteSpace(connectionString) ? throw new ArgumentException("The connection string is empty.", nameof(connectionString)) : connectionString), true, options, timeProvider)
    {
    }

    private PostgresAuditStore(NpgsqlDataSource dataSource, bool ownsDataSource, PostgresAuditStoreOptions? options, TimeProvider? timeProvider)
    {
        ArgumentNullException.ThrowIfNull(dataSource);
        _options = options ?? new PostgresAuditStoreOptions();
        _options.Validate();
        _dataSource = dataSource;
        _ownsDataSource = ownsDataSource;
        _time = timeProvider ?? TimeProvider.System;
        var table = new SqlNames(_options.Schema).Table("mode_transitions");
        _insertSql = $"""
            INSERT INTO {table} (id, "timestamp", from_mode, to_mode, reason_code, source, operator_id, override_ttl, details,
                                 process_id, host_id, sequence, kind, from_stage, to_stage, recovery_run)
            VALUES (@id, @timestamp, @from_mode, @to_mode, @reason_code, @source, @operator_id, @override_ttl,
                    CASE WHEN @details::text IS NULL THEN NULL ELSE jsonb_build_object('text', @details::text) END,
                    @process_id, @host_id, @sequence, @kind, @from_stage, @to_stage, @recovery_run)
            ON CONFLICT DO NOTHING
            """;
    }

    /// <summary>The process id written in every row.</summary>
    public string ProcessId => _options.ProcessId;

    /// <summary>Transitions written so far.</summary>
    public long Written => Interlocked.Read(ref _written);

    /// <summary>Write attempts that failed transiently and were retried.</summary>
    public long Retries => Interlocked.Read(ref _retries);

    /// <summary>
    /// Subscribes this store to <paramref name="stateMachine"/>, which hands it the history it already holds (the
    /// cold-start transition included) before any new transition, and waits until that backlog is written.
    /// Rows are keyed by process and sequence, so a transition written twice is stored once. Dispose the result to detach.
    /// </summary>
    public async Task<IDisposable> AttachAsync(DegradationStateMachine stateMachine, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(stateMachine);
        var subscription = stateMachine.AddAuditStore(this);
        try
        {
            await stateMachine.FlushObserversAsync(cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            subscription.Dispose();
            throw;
        }
        return subscription;
    }

    /// <inheritdoc />
    public async ValueTask AppendAsync(ModeTransition transition, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(transition);
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        var started = _time.GetTimestamp();
        var delay = _options.RetryDelay;
        while (true)
        {
            try
            {
                await InsertAsync(transition, cancellationToken).ConfigureAwait(false);
                Interlocked.Increment(ref _written);
                return;
            }
            catch (NpgsqlException ex) when (ex.IsTransient && !cancellationToken.IsCancellationRequested
                                             && _time.GetElapsedTime(started) + delay <= _options.RetryFor)
            {
                Interlocked.Increment(ref _retries);
                await Task.Delay(delay, _time, cancellationToken).ConfigureAwait(false);
                delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, _options.MaxRetryDelay.Ticks));
            }
        }
    }

    private async Task InsertAsync(ModeTransition t, CancellationToken cancellationToken)
    {
        await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var command = new NpgsqlCommand(_insertSql, connection);
        var p = command.Parameters;
        p.AddWithValue("id", Guid.CreateVersion7(t.WallTime));
        p.AddWithValue("timestamp", t.WallTime.UtcDateTime);
        p.AddWithValue("from_mode", DbText.Mode(t.From));
        p.AddWithValue("to_mode", DbText.Mode(t.To));
        p.AddWithValue("reason_code", t.Reason.Value);
        p.AddWithValue("source", t.Component.Name);
        p.Add(new NpgsqlParameter("operator_id", NpgsqlDbType.Varchar) { Value = (object?)t.OperatorId ?? DBNull.Value });
        p.Add(new NpgsqlParameter("override_ttl", NpgsqlDbType.Integer)
        {
            Value = t.OverrideTtl is { } ttl ? (int)Math.Ceiling(ttl.TotalSeconds) : DBNull.Value,
        });
        p.Add(new NpgsqlParameter("details", NpgsqlDbType.Text) { Value = (object?)t.Details ?? DBNull.Value });
        p.AddWithValue("process_id", _options.ProcessId);
        p.AddWithValue("host_id", _options.HostId);
        p.AddWithValue("sequence", t.Sequence);
        p.AddWithValue("kind", DbText.Kind(t.Kind));
        p.Add(new NpgsqlParameter("from_stage", NpgsqlDbType.Varchar) { Value = (object?)DbText.Stage(t.FromStage) ?? DBNull.Value });
        p.Add(new NpgsqlParameter("to_stage", NpgsqlDbType.Varchar) { Value = (object?)DbText.Stage(t.ToStage) ?? DBNull.Value });
        p.Add(new NpgsqlParameter("recovery_run", NpgsqlDbType.Bigint) { Value = t.RecoveryRun is { } run ? run.Value : DBNull.Value });
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0) return;
        if (_ownsDataSource) await _dataSource.DisposeAsync().ConfigureAwait(false);
    }
}
