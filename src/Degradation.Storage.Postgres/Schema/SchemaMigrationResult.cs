namespace Degradation.Storage.Postgres;

/// <summary>What <see cref="PostgresSchema.MigrateAsync(Npgsql.NpgsqlDataSource, string, CancellationToken)"/> did.</summary>
/// <param name="FromVersion">The schema version found (0 for an empty schema).</param>
/// <param name="ToVersion">The schema version now in place.</param>
/// <param name="Applied">The versions this call applied (empty when another process had already done it).</param>
public sealed record SchemaMigrationResult(int FromVersion, int ToVersion, IReadOnlyList<int> Applied);
