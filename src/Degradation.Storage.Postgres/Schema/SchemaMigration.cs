namespace Degradation.Storage.Postgres;

/// <summary>One forward-only schema step. Its SQL is idempotent (IF NOT EXISTS) and runs in one transaction.</summary>
/// <param name="Version">The schema version this step produces (1, 2, ...).</param>
/// <param name="Description">What it adds.</param>
/// <param name="Sql">Builds the SQL for a schema.</param>
internal sealed record SchemaMigration(int Version, string Description, Func<SqlNames, string> Sql);
