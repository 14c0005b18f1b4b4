using Degradation.Operator;
using Degradation.State;
using Npgsql;

namespace Degradation.Storage.Postgres;

/// <summary>
/// An <see cref="IOperatorStateStore"/> in PostgreSQL: one row of <c>operator_state</c> per state key (one per
/// process or per group of processes that must share a kill switch). <see cref="Save"/> is one committed
/// upsert (durable when it returns, under the server's synchronous_commit); <see cref="Load"/> reads the row.
/// Both run synchronously, because the state machine calls them inside an operator command and at construction;
/// each is bounded by <see cref="CommandTimeoutSeconds"/>. Saving needs the schema at version 3 or later (4 for scopes)
/// (<see cref="PostgresSchema.MigrateAsync(NpgsqlDataSource, string, CancellationToken)"/>); loading before the
/// table exists finds nothing stored.
/// <para>
/// Scopes: <see cref="ForScope"/> gives the store of one scope under the same state key: its own row, keyed by state
/// key and scope path (schema version 4; the process's row has the scope <c>''</c>, which is also what every row written
/// before scopes existed has). Before version 4 is migrated, the process's row is still read and a scope has nothing
/// stored; saving a scope's state then fails (its Halt holds in memory and is reported as not durable).
/// </para>
/// </summary>
public sealed class PostgresOperatorStateStore : IOperatorStateStore
{
    private readonly NpgsqlDataSource _dataSource;
    private readonly string _key;
    private readonly string _scope;
    private readonly string _schema;
    private readonly string _select;
    private readonly string _legacySelect;
    private readonly string _upsert;
    private readonly string _legacyUpsert;

    /// <summary>Creates a store over <paramref name="dataSource"/> for <paramref name="stateKey"/>.</summary>
    /// <param name="dataSource">The database.</param>
    /// <param name="stateKey">Whose state this is (e.g. the process or service name); at most 200 characters.</param>
    /// <param name="schema">The schema holding <c>operator_state</c>.</param>
    /// <exception cref="ArgumentException">An empty or too long state key, or an invalid schema name.</exception>
    public PostgresOperatorStateStore(NpgsqlDataSource dataSource, string stateKey, string schema = "public")
        : this(dataSource, stateKey, schema, string.Empty)
    {
    }

    private PostgresOperatorStateStore(NpgsqlDataSource dataSource, string stateKey, string schema, string scope)
    {
        ArgumentNullException.ThrowIfNull(dataSource);
        ArgumentException.ThrowIfNullOrWhiteSpace(stateKey);
        if (stateKey.Length > 200) throw new ArgumentException($"The state key is {stateKey.Length} characters; at most 200 are allowed.", nameof(stateKey));
        _dataSource = dataSource;
        _key = stateKey;
        _scope = scope;
        _schema = schema;
        var table = new SqlNames(schema).Table("operator_state");
        const string columns = """
            halt_operator_id, halt_reason, halt_since, override_mode, override_operator_id, override_reason,
                   override_ttl_seconds, override_started_at, override_expires_at, saved_at
            """;
        _select = $"SELECT {columns} FROM {table} WHERE state_key = @key AND scope = @scope";
        _legacySelect = $"SELECT {columns} FROM {table} WHERE state_key = @key";
        _upsert = $"""
            INSERT INTO {table} (state_key, scope, halt_operator_id, halt_reason, halt_since, override_mode, override_operator_id,
                override_reason, override_ttl_seconds, override_started_at, override_expires_at, saved_at)
            VALUES (@key, @scope, @halt_operator_id, @halt_reason, @halt_since, @override_mode, @override_operator_id,
                @override_reason, @override_ttl_seconds, @override_started_at, @override_expires_at, @saved_at)
            ON CONFLICT (state_key, scope) DO UPDATE SET
                halt_operator_id = EXCLUDED.halt_operator_id, halt_reason = EXCLUDED.halt_reason, halt_since = EXCLUDED.halt_since,
                override_mode = EXCLUDED.override_mode, override_operator_id = EXCLUDED.override_operator_id,
                override_reason = EXCLUDED.override_reason, override_ttl_seconds = EXCLUDED.override_ttl_seconds,
                override_started_at = EXCLUDED.override_started_at, override_expires_at = EXCLUDED.override_expires_at,
                saved_at = EXCLUDED.saved_at
            """;
        _legacyUpsert = $"""
            INSERT INTO {table} (state_key, halt_operator_id, halt_reason, halt_since, override_mode, override_operator_id,
                override_reason, override_ttl_seconds, override_started_at, override_expires_at, saved_at)
            VALUES (@key, @halt_operator_id, @halt_reason, @halt_since, @override_mode, @override_operator_id,
                @override_reason, @override_ttl_seconds, @override_started_at, @override_expires_at, @saved_at)
            ON CONFLICT (state_key) DO UPDATE SET
                halt_operator_id = EXCLUDED.halt_operator_id, halt_reason = EXCLUDED.halt_reason, halt_since = EXCLUDED.halt_since,
                override_mode = EXCLUDED.override_mode, override_operator_id = EXCLUDED.override_operator_id,
                override_reason = EXCLUDED.override_reason, override_ttl_seconds = EXCLUDED.override_ttl_seconds,
                override_started_at = EXCLUDED.override_started_at, override_expires_at = EXCLUDED.override_expires_at,
                saved_at = EXCLUDED.saved_at
            """;
    }

    /// <summary>Seconds each load or save may take before it fails (and the command is refused, or the start halted).</summary>
    public int CommandTimeoutSeconds { get; init; } = 10;

    /// <summary>The state key.</summary>
    public string StateKey => _key;

    /// <summary>The scope whose state this store keeps: empty for the process.</summary>
    public string Scope => _scope;

    /// <inheritdoc />
    /// <exception cref="ArgumentException"><paramref name="scopePath"/> is empty or longer than 200 characters.</exception>
    public IOperatorStateStore ForScope(string scopePath)
    {
        ArgumentException.ThrowIfNullOrEmpty(scopePath);
        if (scopePath.Length > 200) throw new ArgumentException($"The scope path is {scopePath.Length} characters; at most 200 are allowed.", nameof(scopePath));
        return new PostgresOperatorStateStore(_dataSource, _key, _schema, scopePath) { CommandTimeoutSeconds = CommandTimeoutSeconds };
    }

    /// <inheritdoc />
    public OperatorState? Load()
    {
        try
        {
            return LoadWith(_select);
        }
        catch (PostgresException error) when (error.SqlState == PostgresErrorCodes.UndefinedTable)
        {
            return null; // the migration that creates the table has not run yet, so nothing was ever stored in it
        }
        catch (PostgresException error) when (error.SqlState == PostgresErrorCodes.UndefinedColumn)
        {
            // Schema version 3: no scope column yet. The one row per key is the process's; no scope was ever stored.
            return _scope.Length > 0 ? null : LoadWith(_legacySelect);
        }
    }

    /// <inheritdoc />
    public void Save(OperatorState state)
    {
        ArgumentNullException.ThrowIfNull(state);
        try
        {
            SaveWith(_upsert, state);
        }
        catch (PostgresException error) when (error.SqlState == PostgresErrorCodes.UndefinedColumn && _scope.Length == 0)
        {
            SaveWith(_legacyUpsert, state); // schema version 3 keeps the process's state as before
        }
    }

    private OperatorState? LoadWith(string sql)
    {
        using var command = _dataSource.CreateCommand(sql);
        command.CommandTimeout = CommandTimeoutSeconds;
        command.Parameters.AddWithValue("key", _key);
        command.Parameters.AddWithValue("scope", _scope);
        using var reader = command.ExecuteReader();
        if (!reader.Read()) return null;
        OperatorHaltInfo? halt = reader.IsDBNull(0) ? null : new OperatorHaltInfo
        {
            OperatorId = reader.GetString(0), Reason = reader.GetString(1), Since = reader.GetFieldValue<DateTimeOffset>(2),
        };
        OverrideInfo? forced = null;
        if (!reader.IsDBNull(3))
        {
            var modeName = reader.GetString(3);
            if (!WireNames.TryParseMode(modeName, out var mode)) throw new InvalidDataException($"operator_state.override_mode '{modeName}' is not a mode.");
            forced = new OverrideInfo
            {
                Mode = mode, OperatorId = reader.GetString(4), Reason = reader.GetString(5), Ttl = TimeSpan.FromSeconds(reader.GetDouble(6)),
                StartedAt = reader.GetFieldValue<DateTimeOffset>(7), ExpiresAt = reader.GetFieldValue<DateTimeOffset>(8),
                ExpiresAtTimestamp = 0, // recomputed from ExpiresAt by the state machine
            };
        }
        return new OperatorState { Scope = _scope, Halt = halt, Override = forced, SavedAt = reader.GetFieldValue<DateTimeOffset>(9) };
    }

    private void SaveWith(string sql, OperatorState state)
    {
        using var command = _dataSource.CreateCommand(sql);
        command.CommandTimeout = CommandTimeoutSeconds;
        var p = command.Parameters;
        p.AddWithValue("key", _key);
        p.AddWithValue("scope", _scope);
        p.AddWithValue("halt_operator_id", (object?)state.Halt?.OperatorId ?? DBNull.Value);
        p.AddWithValue("halt_reason", (object?)state.Halt?.Reason ?? DBNull.Value);
        p.AddWithValue("halt_since", state.Halt is { } h ? h.Since.ToUniversalTime() : DBNull.Value);
        p.AddWithValue("override_mode", state.Override is { } o ? WireNames.Of(o.Mode) : DBNull.Value);
        p.AddWithValue("override_operator_id", (object?)state.Override?.OperatorId ?? DBNull.Value);
        p.AddWithValue("override_reason", (object?)state.Override?.Reason ?? DBNull.Value);
        p.AddWithValue("override_ttl_seconds", state.Override is { } t ? t.Ttl.TotalSeconds : DBNull.Value);
        p.AddWithValue("override_started_at", state.Override is { } s ? s.StartedAt.ToUniversalTime() : DBNull.Value);
        p.AddWithValue("override_expires_at", state.Override is { } e ? e.ExpiresAt.ToUniversalTime() : DBNull.Value);
        p.AddWithValue("saved_at", state.SavedAt.ToUniversalTime());
        command.ExecuteNonQuery();
    }
}
