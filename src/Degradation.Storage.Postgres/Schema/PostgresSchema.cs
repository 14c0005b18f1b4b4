using Npgsql;

namespace Degradation.Storage.Postgres;

/// <summary>
/// Creates and upgrades the adapter's tables. Safe to call from every process at start: the whole upgrade
/// runs in one transaction under a transaction-scoped advisory lock keyed by the schema name, so concurrent
/// callers queue, and each step is recorded in <c>schema_version</c> so it runs exactly once.
/// </summary>
public static class PostgresSchema
{
    /// <summary>The schema version this build of the adapter creates.</summary>
    public static int LatestVersion => SchemaMigrations.Latest;

    /// <summary>Brings <paramref name="schema"/> up to <see cref="LatestVersion"/> (creating the schema if needed).</summary>
    /// <param name="dataSource">Where to connect.</param>
    /// <param name="schema">The schema holding the tables; a lower-case identifier.</param>
    /// <param name="cancellationToken">Cancels the upgrade (rolled back).</param>
    /// <exception cref="ArgumentException"><paramref name="schema"/> is not a plain lower-case identifier.</exception>
    public static Task<SchemaMigrationResult> MigrateAsync(NpgsqlDataSource dataSource, string schema = "public", CancellationToken cancellationToken = default) =>
        MigrateAsync(dataSource, schema, SchemaMigrations.Latest, cancellationToken);

    /// <summary>Brings <paramref name="schema"/> up to <see cref="LatestVersion"/>, connecting with <paramref name="connectionString"/>.</summary>
    /// <exception cref="ArgumentException">The connection string is empty or <paramref name="schema"/> is not a plain lower-case identifier.</exception>
    public static async Task<SchemaMigrationResult> MigrateAsync(string connectionString, string schema = "public", CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionString);
        await using var dataSource = NpgsqlDataSource.Create(connectionString);
        return await MigrateAsync(dataSource, schema, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The schema version in place (0 when the adapter's tables were never created).</summary>
    public static async Task<int> GetVersionAsync(NpgsqlDataSource dataSource, string schema = "public", CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(dataSource);
        var names = new SqlNames(schema);
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var exists = new NpgsqlCommand("SELECT to_regclass(@t) IS NOT NULL", connection);
        exists.Parameters.AddWithValue("t", names.Table("schema_version"));
        if (!(bool)(await exists.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!) return 0;
        await using var version = new NpgsqlCommand($"SELECT coalesce(max(version), 0) FROM {names.Table("schema_version")}", connection);
        return (int)(await version.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!;
    }

    internal static async Task<SchemaMigrationResult> MigrateAsync(NpgsqlDataSource dataSource, string schema, int targetVersion, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(dataSource);
        var names = new SqlNames(schema);
        ArgumentOutOfRangeException.ThrowIfLessThan(targetVersion, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(targetVersion, SchemaMigrations.Latest);
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        return await MigrateAsync(connection, schema, targetVersion, cancellationToken).ConfigureAwait(false);
    }

    internal static async Task<SchemaMigrationResult> MigrateAsync(NpgsqlConnection connection, string schema, int targetVersion, CancellationToken cancellationToken)
    {
        var names = new SqlNames(schema);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);

        await using (var lockCommand = new NpgsqlCommand("SELECT pg_advisory_xact_lock(@key)", connection, transaction))
        {
            lockCommand.Parameters.AddWithValue("key", SqlNames.LockKey("degradation.schema:" + names.Schema));
            await lockCommand.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        // Checked first rather than CREATE SCHEMA IF NOT EXISTS, which needs the CREATE privilege even when the schema exists.
        await using (var schemaExists = new NpgsqlCommand("SELECT EXISTS (SELECT 1 FROM pg_namespace WHERE nspname = @s)", connection, transaction))
        {
            schemaExists.Parameters.AddWithValue("s", names.Schema);
            if (!(bool)(await schemaExists.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!)
                await ExecuteAsync(connection, transaction, $"CREATE SCHEMA {names.Quoted}", cancellationToken).ConfigureAwait(false);
        }

        await ExecuteAsync(connection, transaction, $"""
            CREATE TABLE IF NOT EXISTS {names.Table("schema_version")} (
                version integer PRIMARY KEY,
                description text NOT NULL,
                applied_at timestamptz NOT NULL DEFAULT now(),
                applied_by text NOT NULL DEFAULT current_user
            )
            """, cancellationToken).ConfigureAwait(false);

        int current;
        await using (var read = new NpgsqlCommand($"SELECT coalesce(max(version), 0) FROM {names.Table("schema_version")}", connection, transaction))
            current = (int)(await read.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!;

        var applied = new List<int>();
        foreach (var migration in SchemaMigrations.All)
        {
            if (migration.Version <= current || migration.Version > targetVersion) continue;
            await ExecuteAsync(connection, transaction, migration.Sql(names), cancellationToken).ConfigureAwait(false);
            await using var record = new NpgsqlCommand($"INSERT INTO {names.Table("schema_version")} (version, description) VALUES (@v, @d)", connection, transaction);
            record.Parameters.AddWithValue("v", migration.Version);
            record.Parameters.AddWithValue("d", migration.Description);
            await record.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            applied.Add(migration.Version);
        }

        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        return new SchemaMigrationResult(current, Math.Max(current, applied.Count > 0 ? applied[^1] : current), applied);
    }

    private static async Task ExecuteAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, string sql, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(sql, connection, transaction);
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }
}
