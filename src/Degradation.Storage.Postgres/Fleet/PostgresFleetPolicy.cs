using Degradation.Operator;
using Degradation.Scopes;
using Degradation.State;
using Npgsql;
using NpgsqlTypes;

namespace Degradation.Storage.Postgres;

/// <summary>
/// Applies the fleet's central policy to one process (see the package README, "Fleet policy"). One dedicated connection LISTENs on the
/// channel, reads <c>fleet_policy</c> (the truth: NOTIFY is only a wake-up, lost while disconnected) at start,
/// on every notification and after every reconnect, and applies each command id once through the state
/// machine as an operator override (<see cref="DegradationStateMachine.ForceMode"/> /
/// <see cref="DegradationStateMachine.ReleaseOverride"/>, audited with the command's operator id).
/// <para>
/// The same connection proves it is alive with a <c>SELECT 1</c> heartbeat under a timeout (a half-open TCP
/// connection answers nothing and TCP keepalive may take minutes to notice); when the database has not answered
/// for <see cref="PostgresFleetPolicyOptions.LossTimeout"/> the process reports the configured loss reason, and
/// reports the component recovered when it answers again. All timing uses the system's <see cref="TimeProvider"/>.
/// The component's status is kept fresh by the timer that judges the loss, not by the database's answers, so a
/// silent channel is always reported as the loss reason before the status could expire (<c>component.stale</c>
/// means the listener itself stopped).
/// </para>
/// <para>
/// Fail closed at start: the loss timer starts with <see cref="StartAsync"/>, before any connection attempt, and
/// the component reports nothing until the first read of the table has been applied — so a standing halt is in
/// force before the component can count as healthy, and a database that is down from the start is reported lost
/// after <see cref="PostgresFleetPolicyOptions.LossTimeout"/>.
/// </para>
/// <para>
/// Semantics: a process applies the commands that target the whole fleet or its group, in table order; at
/// start it applies only the latest one per scope (if still in force). A release ends only an override the fleet
/// installed — a local operator's later override is kept, and process-specific Halt conditions stay until a
/// local <see cref="DegradationStateMachine.ReleaseHalt"/>.
/// </para>
/// <para>
/// Scopes: a command with a <see cref="FleetCommand.Scope"/> (<see cref="FleetCommands.HaltScopeAsync"/>) is applied to
/// that scope's own state machine only (<see cref="ScopeTree.TryResolve"/>), so halting the account
/// <c>venue-a/acct-1</c> closes that account and its strategies in every process while the other accounts trade; each scope
/// has its own fleet override, released by a command for the same scope. A process that has not configured the scope
/// when the command arrives acknowledges <see cref="FleetCommandOutcome.ScopeNotConfigured"/> and does nothing.
/// Needs the schema at version 4.
/// </para>
/// </summary>
public sealed class PostgresFleetPolicy : IAsyncDisposable
{
    private readonly object _gate = new();
    private readonly string _connectionString;
    private readonly PostgresFleetPolicyOptions _options;
    private readonly SqlNames _names;
    private readonly HashSet<Guid> _applied = [];
    private readonly Queue<FleetCommandApplication> _pendingAcks = new();
    private readonly TaskCompletionSource _synchronized = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private DegradationSystem? _system;
    private TimeProvider _time = TimeProvider.System;
    private ComponentId _component;
    private ReasonCode _lossReason;
    private CancellationTokenSource? _stop;
    private Task _loop = Task.CompletedTask;
    private ITimer? _watchdog;

    private long _lastSequence;
    private bool _initialSyncDone;
    private readonly Dictionary<string, ActiveOverride> _active = new(StringComparer.Ordinal); // by scope path, "" for the process
    private long _lastHealthyAt;
    private long _lastHeartbeatPublishedAt;
    private long _lastLossReportAt;
    private bool _everHealthy;
    private bool _lost;
    private string? _lastError;
    private volatile bool _connected;
    private int _backendProcessId;
    private long _connects;
    private int _disposed;
    private bool _migrated;

    /// <summary>Creates a policy listener that connects with <paramref name="connectionString"/>.</summary>
    /// <exception cref="ArgumentException">The connection string is empty or an option is invalid; the message names it.</exception>
    public PostgresFleetPolicy(string connectionString, PostgresFleetPolicyOptions? options = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionString);
        _options = options ?? new PostgresFleetPolicyOptions();
        _options.Validate();
        _names = new SqlNames(_options.Schema);
        var builder = new NpgsqlConnectionStringBuilder(connectionString)
        {
            // A dedicated, unpooled connection: it holds the LISTEN, and a dead one must never go back to a pool.
            Pooling = false,
            // A timed-out heartbeat must break the connection at once instead of waiting for a cancel request
            // (which a half-open connection will never answer).
            CancellationTimeout = -1,
            // Off by default: the heartbeat keeps the connection busy. A driver keepalive due while a wait is cut
            // short would break the connection, so the options only allow one longer than a heartbeat round.
            KeepAlive = (int)_options.KeepAlive.TotalSeconds,
            Timeout = Math.Max(1, (int)Math.Ceiling(_options.QueryTimeout.TotalSeconds)),
            ApplicationName = Truncate("degradation-fleet:" + _options.ProcessId, 63),
        };
        _connectionString = builder.ConnectionString;
    }

    /// <summary>The options.</summary>
    public PostgresFleetPolicyOptions Options => _options;

    /// <summary>True while the listening connection is open and answering.</summary>
    public bool IsConnected => _connected;

    /// <summary>True while the loss reason is reported (the database has not answered for longer than the loss timeout).</summary>
    public bool IsPolicyLost { get { lock (_gate) return _lost; } }

    /// <summary>The server process id of the listening connection (0 when disconnected); what <c>pg_terminate_backend</c> takes.</summary>
    public int BackendProcessId => Volatile.Read(ref _backendProcessId);

    /// <summary>Successful connections so far (1 after the first; each reconnect adds one).</summary>
    public long Connections => Interlocked.Read(ref _connects);

    /// <summary>The highest <c>fleet_policy</c> sequence this process has read.</summary>
    public long LastSequence { get { lock (_gate) return _lastSequence; } }

    /// <summary>Completes when the table was read for the first time after <see cref="StartAsync"/>.</summary>
    public Task Synchronized => _synchronized.Task;

    /// <summary>The ids of the commands this process has handled.</summary>
    public IReadOnlyCollection<Guid> HandledCommandIds { get { lock (_gate) return [.. _applied]; } }

    /// <summary>Raised after a command was handled (off the state machine's lock; exceptions are swallowed).</summary>
    public event Action<FleetCommandApplication>? CommandHandled;

    /// <summary>
    /// Raised on the listener when a notification woke it, before it reads the table, with the
    /// <see cref="TimeProvider.GetTimestamp"/> of its arrival (what separates the database's share of a command's
    /// propagation from the library's); exceptions are swallowed.
    /// </summary>
    public event Action<long>? NotificationReceived;

    /// <summary>Raised when the listening connection comes up (null) or goes down (the error); exceptions are swallowed.</summary>
    public event Action<bool, Exception?>? ConnectionChanged;

    /// <summary>
    /// Starts listening for <paramref name="system"/> and returns at once: the listener connects in the
    /// background (and first creates or upgrades the schema when <see cref="PostgresFleetPolicyOptions.MigrateOnStart"/>).
    /// The loss timer starts now, so a database that is down from the start is reported; await
    /// <see cref="Synchronized"/> to wait for the first read of the table.
    /// </summary>
    /// <exception cref="InvalidOperationException">Already started.</exception>
    public Task StartAsync(DegradationSystem system, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(system);
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        lock (_gate)
        {
            if (_system is not null) throw new InvalidOperationException("The fleet policy is already started.");
            _system = system;
            _time = system.TimeProvider;
            _component = new ComponentId(_options.Component);
            _lossReason = new ReasonCode(_options.LossReason);
            _lastHealthyAt = _time.GetTimestamp();
            _lastHeartbeatPublishedAt = _lastHealthyAt;
        }
        cancellationToken.ThrowIfCancellationRequested();
        _stop = new CancellationTokenSource();
        var tick = TimeSpan.FromTicks(Math.Max(TimeSpan.FromMilliseconds(10).Ticks, Math.Min(_options.HeartbeatInterval.Ticks, _options.LossTimeout.Ticks / 10)));
        _watchdog = _time.CreateTimer(static s => ((PostgresFleetPolicy)s!).OnWatchdog(), this, tick, tick);
        var stop = _stop.Token;
        _loop = Task.Run(() => RunAsync(stop), CancellationToken.None);
        return Task.CompletedTask;
    }

    /// <summary>Stops listening and closes the connection. An installed override stays (its TTL still applies).</summary>
    public async Task StopAsync(CancellationToken cancellationToken = default)
    {
        var stop = _stop;
        if (stop is null) return;
        try
        {
            await stop.CancelAsync().ConfigureAwait(false);
        }
        catch (AggregateException ex)
        {
            // A driver callback registered on the token failed while the connection was torn down; stopping goes on.
            lock (_gate) _lastError = ex.InnerException?.Message ?? ex.Message;
        }
        if (_watchdog is { } watchdog) await watchdog.DisposeAsync().ConfigureAwait(false);
        await _loop.WaitAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0) return;
        await StopAsync().ConfigureAwait(false);
        _stop?.Dispose();
    }

    // ---- connection loop ---------------------------------------------------------------------

    private async Task RunAsync(CancellationToken stop)
    {
        var delay = _options.ReconnectDelay;
        while (!stop.IsCancellationRequested)
        {
            NpgsqlConnection? connection = null;
            try
            {
                connection = await ConnectAsync(stop).ConfigureAwait(false);
                delay = _options.ReconnectDelay;
                await ListenAsync(connection, stop).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
                break;
            }
            catch (Exception ex)
            {
                lock (_gate) _lastError = ex.Message;
                if (_connected) SetConnected(false, ex);
            }
            finally
            {
                Volatile.Write(ref _backendProcessId, 0);
                if (connection is not null)
                {
                    try { await connection.DisposeAsync().ConfigureAwait(false); }
                    catch (Exception) { /* the connection is already broken; nothing left to release */ }
                }
            }
            if (stop.IsCancellationRequested) break;
            try { await Task.Delay(delay, _time, stop).ConfigureAwait(false); }
            catch (OperationCanceledException) { break; }
            delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, _options.MaxReconnectDelay.Ticks));
        }
        if (_connected) SetConnected(false, null);
    }

    private async Task<NpgsqlConnection> ConnectAsync(CancellationToken stop)
    {
        var connection = new NpgsqlConnection(_connectionString);
        try
        {
            using (var timeout = Timeout(stop))
                await connection.OpenAsync(timeout.Token).ConfigureAwait(false);
            return connection;
        }
        catch
        {
            await connection.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    private async Task ListenAsync(NpgsqlConnection connection, CancellationToken stop)
    {
        if (_options.MigrateOnStart && !_migrated)
        {
            using (var timeout = new TimeoutScope(_options.QueryTimeout * 5, _time, stop))
                await PostgresSchema.MigrateAsync(connection, _options.Schema, PostgresSchema.LatestVersion, timeout.Token).ConfigureAwait(false);
            _migrated = true;
        }
        var wake = 0;
        var wokenAt = 0L;
        connection.Notification += (_, _) =>
        {
            if (Interlocked.Exchange(ref wake, 1) == 0) Volatile.Write(ref wokenAt, _time.GetTimestamp());
        };
        await ExecuteAsync(connection, $"LISTEN \"{_options.Channel}\"", stop).ConfigureAwait(false);
        // LISTEN before reading: a command committed from here on is either read now or announced.
        await SyncAsync(connection, stop).ConfigureAwait(false);
        Volatile.Write(ref _backendProcessId, connection.ProcessID);
        Interlocked.Increment(ref _connects);
        SetConnected(true, null);
        _synchronized.TrySetResult();

        var lastAnswer = _time.GetTimestamp();
        while (true)
        {
            if (Volatile.Read(ref wake) == 1)
            {
                var woken = Volatile.Read(ref wokenAt);
                Volatile.Write(ref wake, 0);
                RaiseNotification(woken);
                await SyncAsync(connection, stop).ConfigureAwait(false);
                lastAnswer = _time.GetTimestamp();
                continue;
            }
            var quiet = _time.GetElapsedTime(lastAnswer);
            if (quiet >= _options.HeartbeatInterval)
            {
                await ExecuteAsync(connection, "SELECT 1", stop).ConfigureAwait(false);
                MarkHealthy();
                lastAnswer = _time.GetTimestamp();
                continue;
            }
            var remaining = _options.HeartbeatInterval - quiet;
            using var wait = new TimeoutScope(remaining, _time, stop);
            try
            {
                // The driver's own timeout bounds the wait as well (a finite wait never runs a driver keepalive,
                // which a cancellation would interrupt and break the connection); either one ending is the cue.
                await connection.WaitAsync((int)Math.Max(1, Math.Ceiling(remaining.TotalMilliseconds)), wait.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (!stop.IsCancellationRequested && wait.TimedOut)
            {
                // Quiet channel: time for a heartbeat (a cancelled wait leaves the connection usable).
            }
        }
    }

    private async Task SyncAsync(NpgsqlConnection connection, CancellationToken stop)
    {
        bool initial;
        long after;
        lock (_gate)
        {
            initial = !_initialSyncDone;
            after = _lastSequence;
        }
        var rows = new List<(FleetCommand Command, double? RemainingMs)>();
        var sql = initial
            ? $"""
                SELECT {FleetCommandReader.Columns} FROM {_names.Table("fleet_policy")} WHERE id IN (
                    SELECT DISTINCT ON (coalesce(target_scope, '')) id FROM {_names.Table("fleet_policy")}
                    WHERE (target_group IS NULL OR target_group = @group) ORDER BY coalesce(target_scope, ''), id DESC)
                ORDER BY id
                """
            : $"SELECT {FleetCommandReader.Columns} FROM {_names.Table("fleet_policy")} WHERE id > @after AND (target_group IS NULL OR target_group = @group) ORDER BY id";
        using (var timeout = Timeout(stop))
        await using (var query = new NpgsqlCommand(sql, connection))
        {
            query.Parameters.Add(new NpgsqlParameter("group", NpgsqlDbType.Varchar) { Value = (object?)_options.Group ?? DBNull.Value });
            query.Parameters.AddWithValue("after", after);
            await using var reader = await query.ExecuteReaderAsync(timeout.Token).ConfigureAwait(false);
            while (await reader.ReadAsync(timeout.Token).ConfigureAwait(false)) rows.Add(FleetCommandReader.Read(reader));
        }

        var handled = new List<FleetCommandApplication>();
        lock (_gate)
        {
            foreach (var (command, remainingMs) in rows)
            {
                _lastSequence = Math.Max(_lastSequence, command.Sequence);
                // At start only the latest command of each scope counts, and only if it is still in force.
                if (initial && (command.Kind == FleetCommandKind.Release || remainingMs is <= 0)) continue;
                if (Handle(command, remainingMs) is { } application) handled.Add(application);
            }
            _initialSyncDone = true;
            foreach (var application in handled) _pendingAcks.Enqueue(application);
        }
        foreach (var application in handled) Raise(application);
        // Healthy only now that the read's commands are applied: a standing halt is in force before the component
        // first reports, so a restarted process never passes the gate before it.
        MarkHealthy();
        await FlushAcknowledgementsAsync(connection, stop).ConfigureAwait(false);
    }

    private async Task FlushAcknowledgementsAsync(NpgsqlConnection connection, CancellationToken stop)
    {
        while (true)
        {
            FleetCommandApplication next;
            lock (_gate)
            {
                if (!_pendingAcks.TryPeek(out var peeked)) return;
                next = peeked;
            }
            using (var timeout = Timeout(stop))
            await using (var insert = new NpgsqlCommand($"""
                INSERT INTO {_names.Table("fleet_policy_applied")} (command_id, process_id, host_id, outcome, details)
                VALUES (@command_id, @process_id, @host_id, @outcome, @details)
                ON CONFLICT DO NOTHING
                """, connection))
            {
                insert.Parameters.AddWithValue("command_id", next.Command.CommandId);
                insert.Parameters.AddWithValue("process_id", _options.ProcessId);
                insert.Parameters.AddWithValue("host_id", _options.HostId);
                insert.Parameters.AddWithValue("outcome", next.Outcome.ToString());
                insert.Parameters.Add(new NpgsqlParameter("details", NpgsqlDbType.Text) { Value = (object?)next.Details ?? DBNull.Value });
                await insert.ExecuteNonQueryAsync(timeout.Token).ConfigureAwait(false);
            }
            lock (_gate) _pendingAcks.Dequeue();
        }
    }

    private async Task ExecuteAsync(NpgsqlConnection connection, string sql, CancellationToken stop)
    {
        using var timeout = Timeout(stop);
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync(timeout.Token).ConfigureAwait(false);
    }

    private TimeoutScope Timeout(CancellationToken stop) => new(_options.QueryTimeout, _time, stop);

    // ---- applying commands (under _gate) -----------------------------------------------------

    private FleetCommandApplication? Handle(FleetCommand command, double? remainingMs)
    {
        if (!_applied.Add(command.CommandId)) return null;
        var path = command.Scope ?? string.Empty;
        if (!_system!.Scopes.TryResolve(path, out var scope))
            return new FleetCommandApplication(command, FleetCommandOutcome.ScopeNotConfigured,
                $"scope '{path}' is not configured in this process", _time.GetTimestamp());
        var (outcome, details) = command.Kind switch
        {
            FleetCommandKind.Halt or FleetCommandKind.Force => ApplyOverride(command, remainingMs, scope.StateMachine, path),
            FleetCommandKind.Release => ApplyRelease(command, scope.StateMachine, path),
            _ => (FleetCommandOutcome.Rejected, $"unknown command kind {command.Kind}"),
        };
        return new FleetCommandApplication(command, outcome, details, _time.GetTimestamp());
    }

    private (FleetCommandOutcome, string?) ApplyOverride(FleetCommand command, double? remainingMs, DegradationStateMachine stateMachine, string scope)
    {
        var policy = stateMachine.Policy;
        var mode = command.Kind == FleetCommandKind.Halt ? SystemMode.Halt : command.Mode ?? SystemMode.Halt;
        TimeSpan? remaining = remainingMs is { } ms ? TimeSpan.FromMilliseconds(ms) : null;
        if (remaining is { } left && left < policy.MinOverride)
            return (FleetCommandOutcome.Expired, $"{left.TotalSeconds:0.###} s left, below the minimum override of {policy.MinOverride.TotalSeconds:0.###} s");
        var ttl = remaining is { } r && r < policy.MaxOverride ? r : policy.MaxOverride;
        var now = _time.GetTimestamp();
        if (mode == SystemMode.Halt)
        {
            // A fleet Halt is a kill switch like a local one: no TTL, it stays until a release (the fleet's or a local one).
            var halted = stateMachine.Halt(command.OperatorId, command.Describe());
            _active[scope] = new ActiveOverride(command, null, null, stateMachine.OperatorHalt, stateMachine);
            return (FleetCommandOutcome.Applied, halted.Durable ? null : halted.Message);
        }
        OperatorCommandResult result;
        try
        {
            result = stateMachine.ForceMode(mode, ttl, command.OperatorId, command.Describe());
        }
        catch (ArgumentException ex)
        {
            return (FleetCommandOutcome.Rejected, ex.Message);
        }
        // The fleet never acknowledges local conditions: a loosening fleet command is refused here, not applied blindly.
        if (!result.Accepted) return (FleetCommandOutcome.Rejected, result.Message);
        long? commandEnd = remaining is { } rem ? now + (long)(rem.TotalSeconds * _time.TimestampFrequency) : null;
        _active[scope] = new ActiveOverride(command, stateMachine.Override, commandEnd, null, stateMachine);
        return (FleetCommandOutcome.Applied, null);
    }

    private (FleetCommandOutcome, string?) ApplyRelease(FleetCommand command, DegradationStateMachine stateMachine, string scope)
    {
        var current = stateMachine.Override;
        _active.Remove(scope, out var active);
        if (active is not null && !ReferenceEquals(active.StateMachine, stateMachine)) active = null; // the scope was removed and added again
        if (active?.Halt is { } fleetHalt)
        {
            var halt = stateMachine.OperatorHalt;
            if (halt is null || !ReferenceEquals(halt, fleetHalt))
                return (FleetCommandOutcome.NothingToRelease, halt is null ? "no operator Halt is active" : $"the active Halt is not the fleet's (set by {halt.OperatorId}); kept");
            // Without acknowledgement: a process-specific Halt condition (e.g. broker.mismatch) keeps it halted.
            var released = stateMachine.ReleaseHalt(command.OperatorId, command.Describe());
            return released.Accepted ? (FleetCommandOutcome.Released, null) : (FleetCommandOutcome.NothingToRelease, released.Message);
        }
        if (current is null) return (FleetCommandOutcome.NothingToRelease, "no override is active");
        if (active is null || !ReferenceEquals(current, active.Info))
            return (FleetCommandOutcome.NothingToRelease, $"the active override is not the fleet's (set by {current.OperatorId}); kept");
        var result = stateMachine.ReleaseOverride(command.OperatorId, command.Describe());
        return result.Accepted ? (FleetCommandOutcome.Released, null) : (FleetCommandOutcome.NothingToRelease, result.Message);
    }

    // ---- liveness and renewal ----------------------------------------------------------------

    private void OnWatchdog()
    {
        try
        {
            lock (_gate)
            {
                if (_system is not { } system) return;
                var now = _time.GetTimestamp();
                if (!_lost && _time.GetElapsedTime(_lastHealthyAt, now) >= _options.LossTimeout)
                {
                    _lost = true;
                    ReportLoss(system, now);
                }
                else if (_lost && _time.GetElapsedTime(_lastLossReportAt, now) >= _options.HeartbeatInterval)
                {
                    // Repeated while the loss lasts: the component stays fresh and keeps its reason (silence would
                    // only turn it stale, which says less).
                    ReportLoss(system, now);
                }
                else if (!_lost && _everHealthy && _time.GetElapsedTime(_lastHeartbeatPublishedAt, now) >= _options.HeartbeatInterval)
                {
                    // The status is refreshed here, by the same timer that judges the loss, not by the listener's
                    // answers: a channel that goes quiet keeps the status fresh until the loss is reported, so the
                    // report names the loss (fleet.policy_lost) rather than an expired status (component.stale),
                    // however late this timer or the bus runs by up to StatusTtl - HeartbeatInterval - one tick.
                    // Only a watchdog that stops altogether lets the status expire, and then stale is the truth.
                    _lastHeartbeatPublishedAt = now;
                    system.Heartbeat(_component, _options.StatusTtl);
                }
                foreach (var scope in _active.Keys.ToList()) RenewOverride(scope, now);
            }
        }
        catch (Exception ex) when (ex is InvalidOperationException or ArgumentException or ObjectDisposedException)
        {
            // A timer callback must not throw; the next tick tries again.
            lock (_gate) _lastError = ex.Message;
        }
    }

    private void ReportLoss(DegradationSystem system, long now)
    {
        _lastLossReportAt = now;
        var details = $"the fleet policy database has not answered for {_time.GetElapsedTime(_lastHealthyAt, now).TotalSeconds:0.0} s ({_lastError ?? "no connection yet"})";
        system.ReportFailure(_component, _lossReason, details, _options.StatusTtl);
        if (!_everHealthy)
            system.ReportFailure(_component, new ReasonCode(_options.NotReadReason), "the fleet policy was never read since this process started; " + details, _options.StatusTtl);
    }

    // Called only after a successful read or heartbeat whose commands are already applied. It reports only the
    // first answer and the answer that ends a loss; the watchdog keeps the status fresh in between (OnWatchdog).
    private void MarkHealthy()
    {
        lock (_gate)
        {
            if (_system is not { } system) return;
            var now = _time.GetTimestamp();
            _lastHealthyAt = now;
            if (_lost)
            {
                _lost = false;
                _everHealthy = true;
                _lastHeartbeatPublishedAt = now;
                system.ReportRecovered(_component, "fleet policy channel answers again");
                system.Heartbeat(_component, _options.StatusTtl);
            }
            else if (!_everHealthy)
            {
                // The first report of the component: the standing policy is in force from here on.
                _everHealthy = true;
                _lastHeartbeatPublishedAt = now;
                system.Heartbeat(_component, _options.StatusTtl);
            }
        }
    }

    private void RenewOverride(string scope, long now)
    {
        if (!_active.TryGetValue(scope, out var active) || active.Halt is not null) return; // a Halt has no TTL to renew
        var stateMachine = active.StateMachine;
        var current = stateMachine.Override;
        if (current is null || !ReferenceEquals(current, active.Info))
        {
            _active.Remove(scope); // expired, released locally, replaced or broken by a must-deliver event
            return;
        }
        var localLeft = TimeSpan.FromSeconds((current.ExpiresAtTimestamp - now) / (double)_time.TimestampFrequency);
        TimeSpan? commandLeft = active.CommandEnd is { } end ? TimeSpan.FromSeconds((end - now) / (double)_time.TimestampFrequency) : null;
        if (commandLeft is { } cl && cl <= localLeft) return; // the local override already ends with the command
        var margin = TimeSpan.FromTicks(Math.Min(_options.RenewBefore.Ticks, current.Ttl.Ticks / 2));
        if (localLeft > margin) return;
        var policy = stateMachine.Policy;
        var ttl = commandLeft is { } left && left < policy.MaxOverride ? left : policy.MaxOverride;
        if (ttl < policy.MinOverride) return;
        var renewed = stateMachine.ForceMode(current.Mode, ttl, active.Command.OperatorId, active.Command.Describe() + " (renewed)");
        if (renewed.Accepted) _active[scope] = active with { Info = stateMachine.Override };
        else _active.Remove(scope);
    }

    private void SetConnected(bool connected, Exception? error)
    {
        _connected = connected;
        try { ConnectionChanged?.Invoke(connected, error); }
        catch (Exception) { /* a subscriber's failure must not stop the listener */ }
    }

    private void RaiseNotification(long timestamp)
    {
        try { NotificationReceived?.Invoke(timestamp); }
        catch (Exception) { /* a subscriber's failure must not stop the listener */ }
    }

    private void Raise(FleetCommandApplication application)
    {
        try { CommandHandled?.Invoke(application); }
        catch (Exception) { /* a subscriber's failure must not stop the listener */ }
    }

    private static string Truncate(string value, int length) => value.Length <= length ? value : value[..length];

    private sealed record ActiveOverride(FleetCommand Command, OverrideInfo? Info, long? CommandEnd, OperatorHaltInfo? Halt, DegradationStateMachine StateMachine);
}
