using System.Diagnostics.Metrics;
using Degradation.Alerts;
using Degradation.Audit;
using Degradation.Events;
using Degradation.State;
using Npgsql;
using NpgsqlTypes;

namespace Degradation.Storage.Postgres;

/// <summary>
/// An <see cref="IAuditStore"/> that writes every transition to the <c>mode_transitions</c> table, with the
/// process, host and sequence number (unique together, so a retried write is stored once), and every other audit
/// record (fallback tiers, load and feature levels, approvals, operator actions, kill-switch outcomes) to the
/// <c>audit_records</c> table, with the process, host, the order this store was handed them in, and an id fixed when
/// the record is first handled (so a retried write is stored once). Attach it with <see cref="AttachAsync"/>: it runs
/// on its own observer loop, so a slow or failing database delays only the audit, never the state machine; records
/// come from whoever holds the store (for a composed runtime, <c>DegradationRuntime.Audit</c> hands them to every store).
/// <para>
/// Nothing is dropped: with <see cref="PostgresAuditStoreOptions.SpoolDirectory"/> set, a row the database
/// does not take at once is appended to a local spool (checksummed, fsync'd) and written, in order, by a
/// background loop once the database answers; while the spool holds rows, new rows (transitions and records alike) queue behind them.
/// Its depth is the <c>degradation.audit.spool.depth</c> gauge (meter <see cref="MeterName"/>); reaching
/// <see cref="PostgresAuditStoreOptions.SpoolAlertDepth"/> raises a critical alert, and spooling goes on.
/// Without a spool directory a row is retried for <see cref="PostgresAuditStoreOptions.RetryFor"/> and
/// then fails (the state machine counts a transition in <see cref="DegradationStateMachine.ObserverFailures"/>, the
/// writer of a record counts it too).
/// </para>
/// </summary>
public sealed class PostgresAuditStore : IAuditStore, IAsyncDisposable
{
    /// <summary>The name of the <see cref="Meter"/> holding the store's instruments.</summary>
    public const string MeterName = "Degradation.Storage.Postgres";

    /// <summary>The gauge of rows waiting in the spool.</summary>
    public const string SpoolDepthInstrument = "degradation.audit.spool.depth";

    private readonly NpgsqlDataSource _dataSource;
    private readonly bool _ownsDataSource;
    private readonly TimeProvider _time;
    private readonly PostgresAuditStoreOptions _options;
    private readonly string _insertTransitionSql;
    private readonly string _insertRecordSql;
    private readonly Meter _meter;
    private readonly SemaphoreSlim _spoolOpen = new(1, 1);
    private readonly SemaphoreSlim _wake = new(0, int.MaxValue);
    private readonly CancellationTokenSource _stop = new();
    private readonly object _gate = new();
    private AuditSpool? _spool;
    private Task _drainer = Task.CompletedTask;
    private TaskCompletionSource _emptied = NewSignal();
    private bool _alerted;
    private string? _lastError;
    private long _written;
    private long _retries;
    private long _spooled;
    private long _alerts;
    private long _recordSequence;
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
        var names = new SqlNames(_options.Schema);
        var table = names.Table("mode_transitions");
        _insertRecordSql = $"""
            INSERT INTO {names.Table("audit_records")} (id, process_id, host_id, sequence, kind, action, component, operator_id,
                                 from_state, to_state, reason, details, "timestamp")
            VALUES (@id, @process_id, @host_id, @sequence, @kind, @action, @component, @operator_id,
                    @from_state, @to_state, @reason, @details, @timestamp)
            ON CONFLICT (id) DO NOTHING
            """;
        _insertTransitionSql = $"""
            INSERT INTO {table} (id, "timestamp", from_mode, to_mode, reason_code, source, operator_id, override_ttl, details,
                                 process_id, host_id, sequence, kind, from_stage, to_stage, recovery_run)
            VALUES (@id, @timestamp, @from_mode, @to_mode, @reason_code, @source, @operator_id, @override_ttl,
                    CASE WHEN @details::text IS NULL THEN NULL ELSE jsonb_build_object('text', @details::text) END,
                    @process_id, @host_id, @sequence, @kind, @from_stage, @to_stage, @recovery_run)
            ON CONFLICT DO NOTHING
            """;
        _meter = new Meter(MeterName);
        _meter.CreateObservableGauge(SpoolDepthInstrument, () => new Measurement<long>(SpoolDepth,
                new KeyValuePair<string, object?>("process_id", _options.ProcessId)),
            unit: "{row}", description: "Audit rows (transitions and records) waiting in the local spool for the database.");
    }

    /// <summary>The process id written in every row.</summary>
    public string ProcessId => _options.ProcessId;

    /// <summary>Rows (transitions and records) written to the database so far (directly or from the spool).</summary>
    public long Written => Interlocked.Read(ref _written);

    /// <summary>Write attempts that failed transiently and were retried (spool writes included).</summary>
    public long Retries => Interlocked.Read(ref _retries);

    /// <summary>Rows (transitions and records) put in the spool so far.</summary>
    public long Spooled => Interlocked.Read(ref _spooled);

    /// <summary>Rows waiting in the spool (0 without a spool).</summary>
    public long SpoolDepth => _spool?.Depth ?? 0;

    /// <summary>Alerts raised because the spool reached <see cref="PostgresAuditStoreOptions.SpoolAlertDepth"/>.</summary>
    public long SpoolAlerts => Interlocked.Read(ref _alerts);

    /// <summary>The latest database error the store met (null when none).</summary>
    public string? LastError { get { lock (_gate) return _lastError; } }

    /// <summary>
    /// Subscribes this store to <paramref name="stateMachine"/>, which hands it the history it already holds (the
    /// cold-start transition included) before any new transition, and waits until that backlog is handled
    /// (written, or spooled when the database does not answer). Rows are keyed by process and sequence, so a
    /// transition written twice is stored once. Dispose the result to detach.
    /// </summary>
    /// <exception cref="IOException">The spool directory cannot be opened (for example, another process holds it).</exception>
    public async Task<IDisposable> AttachAsync(DegradationStateMachine stateMachine, CancellationToken cancellationToken = default)
    {
        var subscription = await SubscribeAsync(stateMachine, cancellationToken).ConfigureAwait(false);
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

    /// <summary>Opens the spool (leftovers of an earlier run start draining) and subscribes, without waiting for the backlog.</summary>
    internal async Task<IDisposable> SubscribeAsync(DegradationStateMachine stateMachine, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(stateMachine);
        await EnsureSpoolAsync(cancellationToken).ConfigureAwait(false);
        return stateMachine.AddAuditStore(this);
    }

    /// <summary>Stores <paramref name="transition"/> in <c>mode_transitions</c> (see the type's remarks for retries and the spool).</summary>
    /// <exception cref="ObjectDisposedException">The store is disposed.</exception>
    public async ValueTask AppendAsync(ModeTransition transition, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(transition);
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        await StoreAsync(AuditRow.From(transition, _options.ProcessId, _options.HostId), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Stores <paramref name="record"/> in <c>audit_records</c>, with the same guarantees as a transition: retried, or
    /// spooled in order with the transitions when the database does not take it (see the type's remarks).
    /// </summary>
    /// <exception cref="ArgumentException">The record's action is empty or its kind is not defined.</exception>
    /// <exception cref="ObjectDisposedException">The store is disposed.</exception>
    public async ValueTask AppendAsync(AuditRecord record, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(record);
        ArgumentException.ThrowIfNullOrWhiteSpace(record.Action, nameof(record) + "." + nameof(AuditRecord.Action));
        _ = DbText.AuditKind(record.Kind); // an undefined kind fails here, not in the spool
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        var row = AuditRecordRow.From(record, _options.ProcessId, _options.HostId, Interlocked.Increment(ref _recordSequence));
        await StoreAsync(row, cancellationToken).ConfigureAwait(false);
    }

    private async ValueTask StoreAsync(IAuditSpoolRow row, CancellationToken cancellationToken)
    {
        if (_options.SpoolDirectory is null)
        {
            await InsertWithRetriesAsync(row, cancellationToken).ConfigureAwait(false);
            return;
        }
        var spool = (await EnsureSpoolAsync(cancellationToken).ConfigureAwait(false))!;
        // Rows already waiting go first: a new one queues behind them, so the table fills in sequence order.
        if (spool.Depth == 0)
        {
            try
            {
                using var attempt = new TimeoutScope(_options.AttemptTimeout, _time, cancellationToken);
                await InsertAsync(row, attempt.Token).ConfigureAwait(false);
                Interlocked.Increment(ref _written);
                return;
            }
            catch (Exception ex) when (!cancellationToken.IsCancellationRequested && ex is NpgsqlException or OperationCanceledException or TimeoutException or IOException or InvalidOperationException)
            {
                Note(ex);
            }
        }
        try
        {
            await spool.AppendAsync(row, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // Neither the database nor the disk took it: the state machine counts the failure, and people are told.
            Note(ex);
            _ = SendAlertAsync(new Alert
            {
                Severity = Severity.Critical,
                Audience = AlertAudiences.OnCall,
                Title = $"Audit {row.Describe()} of {_options.ProcessId} could not be stored",
                Message = $"The database did not take it and the spool in {spool.DirectoryPath} failed: {ex.Message}",
                Reason = new ReasonCode("audit.spool_failed"),
                Time = _time.GetUtcNow(),
            });
            throw;
        }
        Interlocked.Increment(ref _spooled);
        CheckSpoolBound(spool);
        _wake.Release();
    }

    /// <summary>
    /// Waits until the spool is empty (every spooled row is in the database) or <paramref name="cancellationToken"/>
    /// fires; rows still spooled then stay on disk and are written by the next store that opens the directory.
    /// Opens the spool first, so a new store drains what an earlier run left.
    /// </summary>
    /// <exception cref="IOException">The spool directory cannot be opened.</exception>
    /// <returns>True when the spool is empty.</returns>
    public async Task<bool> DrainAsync(CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        await EnsureSpoolAsync(cancellationToken).ConfigureAwait(false);
        while (true)
        {
            Task emptied;
            lock (_gate) emptied = _emptied.Task;
            if (SpoolDepth == 0) return true;
            _wake.Release();
            try
            {
                await emptied.WaitAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return SpoolDepth == 0;
            }
        }
    }

    private async ValueTask<AuditSpool?> EnsureSpoolAsync(CancellationToken cancellationToken)
    {
        if (Volatile.Read(ref _spool) is { } open) return open;
        if (_options.SpoolDirectory is not { } directory) return null;
        await _spoolOpen.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (_spool is { } again) return again;
            var spool = await AuditSpool.OpenAsync(directory, _options.AlertSink, _time, cancellationToken).ConfigureAwait(false);
            Volatile.Write(ref _spool, spool);
            _drainer = Task.Run(() => DrainLoopAsync(spool, _stop.Token), CancellationToken.None);
            if (spool.Depth > 0) _wake.Release();
            return spool;
        }
        finally
        {
            _spoolOpen.Release();
        }
    }

    private async Task DrainLoopAsync(AuditSpool spool, CancellationToken stop)
    {
        var delay = _options.RetryDelay;
        while (!stop.IsCancellationRequested)
        {
            try
            {
                await _wake.WaitAsync(stop).ConfigureAwait(false);
                while (spool.Depth > 0)
                {
                    var wrote = 0;
                    await foreach (var (position, row) in spool.ReadAsync(stop).ConfigureAwait(false))
                    {
                        using (var attempt = new TimeoutScope(_options.AttemptTimeout, _time, stop))
                            await InsertAsync(row, attempt.Token).ConfigureAwait(false);
                        await spool.MarkWrittenAsync(position, stop).ConfigureAwait(false);
                        Interlocked.Increment(ref _written);
                        wrote++;
                    }
                    delay = _options.RetryDelay;
                    if (wrote == 0) break; // an append still landing: its writer wakes this loop again
                }
                if (spool.Depth == 0) SignalEmptied();
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                // The database (or the table) is not there yet: keep the rows and try again later, backing off.
                Note(ex);
                Interlocked.Increment(ref _retries);
                try { await Task.Delay(delay, _time, stop).ConfigureAwait(false); }
                catch (OperationCanceledException) { return; }
                delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, _options.MaxRetryDelay.Ticks));
                _wake.Release();
            }
        }
    }

    private void SignalEmptied()
    {
        TaskCompletionSource done;
        lock (_gate)
        {
            if (_alerted && SpoolDepth < _options.SpoolAlertDepth / 2) _alerted = false;
            done = _emptied;
            _emptied = NewSignal();
        }
        done.TrySetResult();
    }

    private void CheckSpoolBound(AuditSpool spool)
    {
        var depth = spool.Depth;
        lock (_gate)
        {
            if (_alerted || depth < _options.SpoolAlertDepth) return;
            _alerted = true;
        }
        Interlocked.Increment(ref _alerts);
        var alert = new Alert
        {
            Severity = Severity.Critical,
            Audience = AlertAudiences.OnCall,
            Title = $"Audit spool holds {depth} rows (alert depth {_options.SpoolAlertDepth})",
            Message = $"The audit database has not taken the transitions and records of {_options.ProcessId}; they are kept in {spool.DirectoryPath} and written once it answers. Nothing is dropped, but the spool keeps growing. Last error: {LastError ?? "none"}.",
            Reason = new ReasonCode("audit.spool_full"),
            Time = _time.GetUtcNow(),
        };
        _ = SendAlertAsync(alert);
    }

    private async Task SendAlertAsync(Alert alert)
    {
        if (_options.AlertSink is not { } sink) return;
        try
        {
            await sink.SendAsync(alert, _stop.Token).ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            lock (_gate) _lastError = "alert sink failed: " + ex.Message;
        }
    }

    private async Task InsertWithRetriesAsync(IAuditSpoolRow row, CancellationToken cancellationToken)
    {
        var started = _time.GetTimestamp();
        var delay = _options.RetryDelay;
        while (true)
        {
            try
            {
                await InsertAsync(row, cancellationToken).ConfigureAwait(false);
                Interlocked.Increment(ref _written);
                return;
            }
            catch (NpgsqlException ex) when (ex.IsTransient && !cancellationToken.IsCancellationRequested
                                             && _time.GetElapsedTime(started) + delay <= _options.RetryFor)
            {
                Note(ex);
                Interlocked.Increment(ref _retries);
                await Task.Delay(delay, _time, cancellationToken).ConfigureAwait(false);
                delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, _options.MaxRetryDelay.Ticks));
            }
        }
    }

    private Task InsertAsync(IAuditSpoolRow row, CancellationToken cancellationToken) => row switch
    {
        AuditRow transition => InsertTransitionAsync(transition, cancellationToken),
        AuditRecordRow record => InsertRecordAsync(record, cancellationToken),
        _ => throw new ArgumentException($"Not an audit row: {row?.GetType().Name ?? "null"}.", nameof(row)),
    };

    private async Task InsertRecordAsync(AuditRecordRow r, CancellationToken cancellationToken)
    {
        await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var command = new NpgsqlCommand(_insertRecordSql, connection);
        var p = command.Parameters;
        var record = r.Record;
        p.AddWithValue("id", r.Id);
        p.AddWithValue("process_id", r.ProcessId);
        p.AddWithValue("host_id", r.HostId);
        p.AddWithValue("sequence", r.Sequence);
        p.AddWithValue("kind", DbText.AuditKind(record.Kind));
        p.AddWithValue("action", record.Action);
        p.Add(Text("component", record.Component));
        p.Add(Text("operator_id", record.OperatorId));
        p.Add(Text("from_state", record.From));
        p.Add(Text("to_state", record.To));
        p.Add(Text("reason", record.Reason));
        p.Add(Text("details", record.Details));
        p.AddWithValue("timestamp", record.WallTime.UtcDateTime);
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);

        static NpgsqlParameter Text(string name, string? value) => new(name, NpgsqlDbType.Text) { Value = (object?)value ?? DBNull.Value };
    }

    private async Task InsertTransitionAsync(AuditRow r, CancellationToken cancellationToken)
    {
        await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var command = new NpgsqlCommand(_insertTransitionSql, connection);
        var p = command.Parameters;
        p.AddWithValue("id", r.Id);
        p.AddWithValue("timestamp", r.Timestamp.UtcDateTime);
        p.AddWithValue("from_mode", r.FromMode);
        p.AddWithValue("to_mode", r.ToMode);
        p.AddWithValue("reason_code", r.ReasonCode);
        p.AddWithValue("source", r.Source);
        p.Add(new NpgsqlParameter("operator_id", NpgsqlDbType.Varchar) { Value = (object?)r.OperatorId ?? DBNull.Value });
        p.Add(new NpgsqlParameter("override_ttl", NpgsqlDbType.Integer) { Value = (object?)r.OverrideTtlSeconds ?? DBNull.Value });
        p.Add(new NpgsqlParameter("details", NpgsqlDbType.Text) { Value = (object?)r.Details ?? DBNull.Value });
        p.AddWithValue("process_id", r.ProcessId);
        p.AddWithValue("host_id", r.HostId);
        p.AddWithValue("sequence", r.Sequence);
        p.AddWithValue("kind", r.Kind);
        p.Add(new NpgsqlParameter("from_stage", NpgsqlDbType.Varchar) { Value = (object?)r.FromStage ?? DBNull.Value });
        p.Add(new NpgsqlParameter("to_stage", NpgsqlDbType.Varchar) { Value = (object?)r.ToStage ?? DBNull.Value });
        p.Add(new NpgsqlParameter("recovery_run", NpgsqlDbType.Bigint) { Value = (object?)r.RecoveryRun ?? DBNull.Value });
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    private void Note(Exception ex)
    {
        lock (_gate) _lastError = ex.Message;
    }

    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Stops the spool's writer and closes the spool (rows still in it stay on disk for the next run).</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0) return;
        await _stop.CancelAsync().ConfigureAwait(false);
        await _drainer.ConfigureAwait(false);
        if (_spool is { } spool) await spool.DisposeAsync().ConfigureAwait(false);
        _meter.Dispose();
        _stop.Dispose();
        if (_ownsDataSource) await _dataSource.DisposeAsync().ConfigureAwait(false);
    }
}
