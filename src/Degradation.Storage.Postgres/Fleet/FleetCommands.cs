using System.Globalization;
using Npgsql;
using NpgsqlTypes;

namespace Degradation.Storage.Postgres;

/// <summary>
/// Issues operator commands to the fleet: each is inserted into <c>fleet_policy</c> (the truth) and announced
/// with NOTIFY in the same transaction (only a wake-up: listeners re-read the table). Commands are numbered in
/// commit order (the insert holds a table lock that excludes other issuers, not readers), so a listener that
/// reads "everything after N" never misses one.
/// <para>
/// A transient failure (a pooled connection the server closed during a restart — SQLSTATE 57P01 — a refused or
/// reset connection, a timeout) is retried up to <see cref="MaxAttempts"/> times, waiting
/// <see cref="FirstRetryDelay"/> and then twice as long each time. Retries are idempotent: the command's id is
/// chosen once, so an attempt whose commit succeeded but whose answer was lost is found, not inserted again.
/// </para>
/// </summary>
public sealed class FleetCommands : IAsyncDisposable
{
    private readonly NpgsqlDataSource _dataSource;
    private readonly bool _ownsDataSource;
    private readonly SqlNames _names;
    private readonly string _channel;
    private readonly TimeProvider _time;
    private long _retries;

    /// <summary>Attempts per command, the first included.</summary>
    public const int MaxAttempts = 5;

    /// <summary>The wait before the first retry (doubled before each further one: at most 1.5 s of waiting in all).</summary>
    public static readonly TimeSpan FirstRetryDelay = TimeSpan.FromMilliseconds(100);

    /// <summary>Creates an issuer over <paramref name="dataSource"/> (not disposed by it).</summary>
    /// <exception cref="ArgumentException"><paramref name="schema"/> or <paramref name="channel"/> is not a plain lower-case identifier.</exception>
    public FleetCommands(NpgsqlDataSource dataSource, string schema = "public", string channel = PostgresFleetPolicyOptions.DefaultChannel, TimeProvider? timeProvider = null)
        : this(dataSource, false, schema, channel, timeProvider)
    {
    }

    /// <summary>Creates an issuer that connects with <paramref name="connectionString"/>.</summary>
    /// <exception cref="ArgumentException">The connection string is empty, or <paramref name="schema"/> or <paramref name="channel"/> is not a plain lower-case identifier.</exception>
    public FleetCommands(string connectionString, string schema = "public", string channel = PostgresFleetPolicyOptions.DefaultChannel, TimeProvider? timeProvider = null)
        : this(NpgsqlDataSource.Create(string.IsNullOrWhiteSpace(connectionString) ? throw new ArgumentException("The connection string is empty.", nameof(connectionString)) : connectionString), true, schema, channel, timeProvider)
    {
    }

    private FleetCommands(NpgsqlDataSource dataSource, bool owns, string schema, string channel, TimeProvider? timeProvider)
    {
        _time = timeProvider ?? TimeProvider.System;
        ArgumentNullException.ThrowIfNull(dataSource);
        _names = new SqlNames(schema);
        _channel = SqlNames.ValidateIdentifier(channel, nameof(channel));
        _dataSource = dataSource;
        _ownsDataSource = owns;
    }

    /// <summary>Attempts that failed transiently and were retried, over this issuer's life.</summary>
    public long Retries => Interlocked.Read(ref _retries);

    /// <summary>Halts every process of the fleet (or of <paramref name="group"/>) until released, or for <paramref name="ttl"/>.</summary>
    public Task<FleetCommand> HaltAsync(string operatorId, string reason, string? group = null, TimeSpan? ttl = null, CancellationToken cancellationToken = default) =>
        IssueAsync(FleetCommandKind.Halt, SystemMode.Halt, ttl, operatorId, reason, group, cancellationToken);

    /// <summary>Forces <paramref name="mode"/> on every process of the fleet (or of <paramref name="group"/>) for <paramref name="ttl"/>.</summary>
    public Task<FleetCommand> ForceAsync(SystemMode mode, TimeSpan ttl, string operatorId, string reason, string? group = null, CancellationToken cancellationToken = default) =>
        IssueAsync(FleetCommandKind.Force, mode, ttl, operatorId, reason, group, cancellationToken);

    /// <summary>Ends the fleet's override on every process of the fleet (or of <paramref name="group"/>).</summary>
    public Task<FleetCommand> ReleaseAsync(string operatorId, string reason, string? group = null, CancellationToken cancellationToken = default) =>
        IssueAsync(FleetCommandKind.Release, null, null, operatorId, reason, group, cancellationToken);

    /// <summary>
    /// Halts the scope at <paramref name="scope"/> (e.g. the account <c>"venue-a/acct-1"</c>) in every process of the fleet (or
    /// of <paramref name="group"/>) until released: each process halts that scope only, and everything under it; its other
    /// scopes keep trading. A process that has not configured the scope acknowledges <see cref="FleetCommandOutcome.ScopeNotConfigured"/>.
    /// </summary>
    public Task<FleetCommand> HaltScopeAsync(string scope, string operatorId, string reason, string? group = null, CancellationToken cancellationToken = default) =>
        IssueAsync(FleetCommandKind.Halt, SystemMode.Halt, null, operatorId, reason, group, scope, cancellationToken);

    /// <summary>Ends the fleet's Halt or override of the scope at <paramref name="scope"/> in every process of the fleet (or of <paramref name="group"/>).</summary>
    public Task<FleetCommand> ReleaseScopeAsync(string scope, string operatorId, string reason, string? group = null, CancellationToken cancellationToken = default) =>
        IssueAsync(FleetCommandKind.Release, null, null, operatorId, reason, group, scope, cancellationToken);

    /// <summary>Stores and announces one command, retrying transient failures (see the class remarks).</summary>
    /// <exception cref="ArgumentException">An argument is invalid; the message names it.</exception>
    /// <exception cref="NpgsqlException">The database failed for good, or still failed after <see cref="MaxAttempts"/> attempts.</exception>
    public Task<FleetCommand> IssueAsync(FleetCommandKind kind, SystemMode? mode, TimeSpan? ttl, string operatorId, string reason,
        string? group = null, CancellationToken cancellationToken = default) =>
        IssueAsync(kind, mode, ttl, operatorId, reason, group, null, cancellationToken);

    /// <summary>
    /// Stores and announces one command for the scope at <paramref name="scope"/> of each targeted process (null: the process
    /// scope), retrying transient failures (see the class remarks).
    /// </summary>
    /// <exception cref="ArgumentException">An argument is invalid (the scope must be one to three names of ASCII letters, digits, '-', '_' and '.', separated by '/'); the message names it.</exception>
    /// <exception cref="NpgsqlException">The database failed for good, or still failed after <see cref="MaxAttempts"/> attempts.</exception>
    public async Task<FleetCommand> IssueAsync(FleetCommandKind kind, SystemMode? mode, TimeSpan? ttl, string operatorId, string reason,
        string? group, string? scope, CancellationToken cancellationToken)
    {
        if (scope is not null && !IsScopePath(scope))
            throw new ArgumentException($"scope must be null (the process) or a scope path like 'venue-a/acct-1': one to three names of ASCII letters, digits, '-', '_' and '.', separated by '/', at most 200 characters (was '{scope}').", nameof(scope));
        ArgumentException.ThrowIfNullOrWhiteSpace(operatorId);
        ArgumentException.ThrowIfNullOrWhiteSpace(reason);
        if (operatorId.Length > 100) throw new ArgumentException($"operatorId must be at most 100 characters (was {operatorId.Length}).", nameof(operatorId));
        if (group is not null && (string.IsNullOrWhiteSpace(group) || group.Length > 100))
            throw new ArgumentException($"group must be null (whole fleet) or 1 to 100 characters (was '{group}').", nameof(group));
        int? ttlSeconds = null;
        if (ttl is { } t)
        {
            if (t < TimeSpan.FromSeconds(1) || t > TimeSpan.FromDays(7))
                throw new ArgumentOutOfRangeException(nameof(ttl), ttl, $"ttl must be between 1 s and 7 days (was {t}).");
            ttlSeconds = (int)Math.Ceiling(t.TotalSeconds);
        }
        switch (kind)
        {
            case FleetCommandKind.Halt:
                mode = SystemMode.Halt;
                break;
            case FleetCommandKind.Force:
                if (mode is not { } m || !Enum.IsDefined(m)) throw new ArgumentException($"A force command needs a mode (was {mode?.ToString() ?? "none"}).", nameof(mode));
                if (ttlSeconds is null) throw new ArgumentException("A force command needs a ttl.", nameof(ttl));
                break;
            case FleetCommandKind.Release:
                if (mode is not null || ttl is not null) throw new ArgumentException("A release command takes no mode and no ttl.", nameof(kind));
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(kind), kind, $"Unknown fleet command kind '{(int)kind}'.");
        }

        var commandId = Guid.NewGuid();
        var delay = FirstRetryDelay;
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await InsertAsync(commandId, kind, mode, ttlSeconds, operatorId, reason, group, scope, cancellationToken).ConfigureAwait(false);
            }
            catch (NpgsqlException ex) when (ex.IsTransient && attempt < MaxAttempts && !cancellationToken.IsCancellationRequested)
            {
                Interlocked.Increment(ref _retries);
                await Task.Delay(delay, _time, cancellationToken).ConfigureAwait(false);
                delay += delay;
            }
        }
    }

    /// <summary>One attempt: stores the command with id <paramref name="commandId"/>, or returns the one an earlier attempt stored.</summary>
    internal async Task<FleetCommand> InsertAsync(Guid commandId, FleetCommandKind kind, SystemMode? mode, int? ttlSeconds, string operatorId, string reason,
        string? group, string? scope, CancellationToken cancellationToken)
    {
        var table = _names.Table("fleet_policy");
        await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        await using (var lockTable = new NpgsqlCommand($"LOCK TABLE {table} IN SHARE ROW EXCLUSIVE MODE", connection, transaction))
            await lockTable.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);

        FleetCommand? command = null;
        await using (var insert = new NpgsqlCommand($"""
            INSERT INTO {table} (command_id, command, target_group, target_scope, mode, ttl_seconds, operator_id, reason, expires_at)
            VALUES (@command_id, @command, @group, @scope, @mode, @ttl, @operator, @reason,
                    CASE WHEN @ttl IS NULL THEN NULL ELSE now() + make_interval(secs => @ttl) END)
            ON CONFLICT (command_id) DO NOTHING
            RETURNING {FleetCommandReader.Columns}
            """, connection, transaction))
        {
            insert.Parameters.AddWithValue("command_id", commandId);
            insert.Parameters.AddWithValue("command", kind.ToString().ToLowerInvariant());
            insert.Parameters.Add(new NpgsqlParameter("group", NpgsqlDbType.Varchar) { Value = (object?)group ?? DBNull.Value });
            insert.Parameters.Add(new NpgsqlParameter("scope", NpgsqlDbType.Varchar) { Value = (object?)scope ?? DBNull.Value });
            insert.Parameters.Add(new NpgsqlParameter("mode", NpgsqlDbType.Varchar) { Value = mode is { } md ? DbText.Mode(md) : DBNull.Value });
            insert.Parameters.Add(new NpgsqlParameter("ttl", NpgsqlDbType.Integer) { Value = (object?)ttlSeconds ?? DBNull.Value });
            insert.Parameters.AddWithValue("operator", operatorId);
            insert.Parameters.AddWithValue("reason", reason);
            await using var reader = await insert.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            if (await reader.ReadAsync(cancellationToken).ConfigureAwait(false)) command = FleetCommandReader.Read(reader).Command;
        }
        if (command is null)
        {
            // An earlier attempt committed and only its answer was lost: that row is the command (already announced).
            await using var existing = new NpgsqlCommand($"SELECT {FleetCommandReader.Columns} FROM {table} WHERE command_id = @command_id", connection, transaction);
            existing.Parameters.AddWithValue("command_id", commandId);
            await using var reader = await existing.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            if (!await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                throw new InvalidOperationException($"Fleet command {commandId} conflicted on insert but cannot be read back.");
            return FleetCommandReader.Read(reader).Command;
        }

        // The payload is only a hint (a listener re-reads the table); it stays far below NOTIFY's 8000-byte cap.
        await using (var notify = new NpgsqlCommand("SELECT pg_notify(@channel, @payload)", connection, transaction))
        {
            notify.Parameters.AddWithValue("channel", _channel);
            notify.Parameters.AddWithValue("payload", command.Sequence.ToString(CultureInfo.InvariantCulture) + ":" + (group ?? "*"));
            await notify.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }
        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        return command;
    }

    private static bool IsScopePath(string scope)
    {
        if (scope.Length is 0 or > 200) return false;
        var segments = scope.Split('/');
        return segments.Length <= 3 && segments.All(s => s.Length > 0 && s.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.'));
    }

    /// <summary>The most recent commands, newest first.</summary>
    public async Task<IReadOnlyList<FleetCommand>> ListAsync(int limit = 20, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(limit);
        await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var query = new NpgsqlCommand($"SELECT {FleetCommandReader.Columns} FROM {_names.Table("fleet_policy")} ORDER BY id DESC LIMIT @limit", connection);
        query.Parameters.AddWithValue("limit", limit);
        var result = new List<FleetCommand>();
        await using var reader = await query.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false)) result.Add(FleetCommandReader.Read(reader).Command);
        return result;
    }

    /// <summary>Which processes handled <paramref name="commandId"/>, and how.</summary>
    public async Task<IReadOnlyList<FleetAcknowledgement>> GetAcknowledgementsAsync(Guid commandId, CancellationToken cancellationToken = default)
    {
        await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var query = new NpgsqlCommand($"""
            SELECT command_id, process_id, host_id, applied_at, outcome, details
            FROM {_names.Table("fleet_policy_applied")} WHERE command_id = @id ORDER BY applied_at, process_id
            """, connection);
        query.Parameters.AddWithValue("id", commandId);
        var result = new List<FleetAcknowledgement>();
        await using var reader = await query.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            result.Add(new FleetAcknowledgement(reader.GetGuid(0), reader.GetString(1), reader.GetString(2),
                reader.GetFieldValue<DateTimeOffset>(3), Enum.Parse<FleetCommandOutcome>(reader.GetString(4)),
                reader.IsDBNull(5) ? null : reader.GetString(5)));
        }
        return result;
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        if (_ownsDataSource) await _dataSource.DisposeAsync().ConfigureAwait(false);
    }
}
