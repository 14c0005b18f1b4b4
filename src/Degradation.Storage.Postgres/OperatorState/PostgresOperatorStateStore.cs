using Degradation.Operator;
using Degradation.State;
using Npgsql;

namespace Degradation.Storage.Postgres;

/// <summary>
/// An <see cref="IOperatorStateStore"/> in PostgreSQL: one row of <c>operator_state</c> per state key (one per
/// process or per group of processes that must share a kill switch). <see cref="Save"/> is one committed
/// upsert (durable when it returns, under the server's synchronous_commit); <see cref="Load"/> reads the row.
/// Both run synchronously, because the state machine calls them inside an operator command and at construction;
/// each is bounded by <see cref="CommandTimeoutSeconds"/>. Saving needs the schema at version 3 or later
/// (<see cref="PostgresSchema.MigrateAsync(NpgsqlDataSource, string, CancellationToken)"/>); loading before the
/// table exists finds nothing stored.
/// </summary>
public sealed class PostgresOperatorStateStore : IOperatorStateStore
{
    private readonly NpgsqlDataSource _dataSource;
    private readonly string _key;
    private readonly string _select;
    private readonly string _upsert;

    /// <summary>Creates a store over <paramref name="dataSource"/> for <paramref name="stateKey"/>.</summary>
    /// <param name="dataSource">The database.</param>
    /// <param name="stateKey">Whose state this is (e.g. the process or service name); at most 200 characters.</param>
    /// <param name="schema">The schema holding <c>operator_state</c>.</param>
    /// <exception cref="ArgumentException">An empty or too long state key, or an invalid schema name.</exception>
    public PostgresOperatorStateStore(NpgsqlDataSource dataSource, string stateKey, string schema = "public")
    {
        ArgumentNullException.ThrowIfNull(dataSource);
        ArgumentException.ThrowIfNullOrWhiteSpace(stateKey);
        if (stateKey.Length > 200) throw new ArgumentException($"The state key is {stateKey.Length} characters; at most 200 are allowed.", nameof(stateKey));
        _dataSource = dataSource;
        _key = stateKey;
        var table = new SqlNames(schema).Table("operator_state");
        _select = $"""
            SELECT halt_operator_id, halt_reason, halt_since, override_mode, override_operator_id, override_reason,
                   override_ttl_seconds, override_started_at, override_expires_at, saved_at
            FROM {table} WHERE state_key = @key
            """;
        _upsert = $"""
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

    /// <inheritdoc />
    public OperatorState? Load()
    {
        using var command = _dataSource.CreateCommand(_select);
        command.CommandTimeout = CommandTimeoutSeconds;
        command.Parameters.AddWithValue("key", _key);
        NpgsqlDataReader reader;
        try
        {
            reader = command.ExecuteReader();
        }
        catch (PostgresException error) when (error.SqlState == PostgresErrorCodes.UndefinedTable)
        {
            return null; // the migration that creates the table has not run yet, so nothing was ever stored in it
        }
        using var _ = reader;
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
        return new OperatorState { Halt = halt, Override = forced, SavedAt = reader.GetFieldValue<DateTimeOffset>(9) };
    }

    /// <inheritdoc />
    public void Save(OperatorState state)
    {
        ArgumentNullException.ThrowIfNull(state);
        using var command = _dataSource.CreateCommand(_upsert);
        command.CommandTimeout = CommandTimeoutSeconds;
        var p = command.Parameters;
        p.AddWithValue("key", _key);
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
