using Degradation.Storage.Postgres;
using Npgsql;
using Xunit.Abstractions;

namespace Degradation.Tests.Postgres;

/// <summary>Schema creation and upgrades are idempotent and safe when several processes start at once.</summary>
[Collection(PostgresCollection.Name)]
public sealed class PostgresSchemaTests(PostgresServer server, ITestOutputHelper output)
{
    private static readonly string[] Tables = ["schema_version", "mode_transitions", "db_buffer_wal", "fleet_policy", "fleet_policy_applied", "operator_state", "audit_records"];

    private async Task<List<int>> VersionsAsync(string schema)
    {
        await using var connection = new NpgsqlConnection(server.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand($"SELECT version FROM {schema}.schema_version ORDER BY version", connection);
        var versions = new List<int>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync()) versions.Add(reader.GetInt32(0));
        return versions;
    }

    private async Task AssertTablesExistAsync(string schema)
    {
        foreach (var table in Tables)
            Assert.True(await server.ScalarAsync<bool>("SELECT to_regclass(@t) IS NOT NULL", ("t", $"{schema}.{table}")), $"{schema}.{table} exists");
    }

    [Fact]
    public async Task Four_processes_migrating_an_empty_schema_at_once_create_it_exactly_once()
    {
        var schema = PostgresServer.NewSchema();
        var processes = Enumerable.Range(0, 4)
            .Select(i => FleetCliProcess.Start($"migrate-{i}", "migrate", "--connection", server.ConnectionString, "--schema", schema))
            .ToList();
        try
        {
            var exits = await Task.WhenAll(processes.Select(p => p.WaitForExitAsync(TimeSpan.FromSeconds(90))));
            var reports = processes.Select(p => string.Join('\n', p.Lines) + p.StandardError).ToList();
            foreach (var report in reports) output.WriteLine(report);
            Assert.All(exits, code => Assert.Equal(0, code));
            Assert.Single(reports, r => r.Contains("applied=1,2", StringComparison.Ordinal));
            Assert.Equal(3, reports.Count(r => r.Contains($"from={PostgresSchema.LatestVersion} to={PostgresSchema.LatestVersion} applied=", StringComparison.Ordinal) && !r.Contains("applied=1", StringComparison.Ordinal)));
        }
        finally
        {
            foreach (var process in processes) await process.DisposeAsync();
        }
        Assert.Equal([1, 2, 3, 4, 5], await VersionsAsync(schema));
        await AssertTablesExistAsync(schema);
    }

    [Fact]
    public async Task Parallel_migrations_on_separate_connections_agree_and_repeat_as_no_ops()
    {
        var schema = PostgresServer.NewSchema();
        await using var dataSource = server.CreateDataSource();
        var results = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => Task.Run(() => PostgresSchema.MigrateAsync(dataSource, schema))));
        Assert.Single(results, r => r.Applied.Count == 5);
        Assert.All(results, r => Assert.Equal(PostgresSchema.LatestVersion, r.ToVersion));
        var again = await PostgresSchema.MigrateAsync(dataSource, schema);
        Assert.Empty(again.Applied);
        Assert.Equal(PostgresSchema.LatestVersion, await PostgresSchema.GetVersionAsync(dataSource, schema));
        Assert.Equal([1, 2, 3, 4, 5], await VersionsAsync(schema));
    }

    [Fact]
    public async Task An_older_schema_is_upgraded_step_by_step_keeping_its_data()
    {
        var schema = PostgresServer.NewSchema();
        await using var dataSource = server.CreateDataSource();
        var first = await PostgresSchema.MigrateAsync(dataSource, schema, 1, CancellationToken.None);
        Assert.Equal([1], first.Applied);
        Assert.Equal(1, await PostgresSchema.GetVersionAsync(dataSource, schema));
        Assert.False(await server.ScalarAsync<bool>("SELECT to_regclass(@t) IS NOT NULL", ("t", $"{schema}.fleet_policy")));
        await using (var wal = new PostgresWalStore(dataSource, new PostgresWalStoreOptions { Schema = schema }))
        {
            await wal.AppendAsync([new WalRecord { IdempotentKey = "kept", ResourceType = "order", ResourceId = "1", Payload = "{}"u8.ToArray(), CreatedAt = DateTimeOffset.UnixEpoch }]);
        }

        var upgrade = await PostgresSchema.MigrateAsync(dataSource, schema);
        Assert.Equal(1, upgrade.FromVersion);
        Assert.Equal([2, 3, 4, 5], upgrade.Applied);
        await AssertTablesExistAsync(schema);
        Assert.Equal(1L, await server.ScalarAsync<long>($"SELECT count(*) FROM {schema}.db_buffer_wal WHERE idempotent_key = 'kept'"));
    }

    [Fact]
    public async Task Migration_5_adds_audit_records_to_a_version_4_database_keeping_its_transitions()
    {
        var schema = PostgresServer.NewSchema();
        await using var dataSource = server.CreateDataSource();
        Assert.Equal([1, 2, 3, 4], (await PostgresSchema.MigrateAsync(dataSource, schema, 4, CancellationToken.None)).Applied);
        Assert.False(await server.ScalarAsync<bool>("SELECT to_regclass(@t) IS NOT NULL", ("t", $"{schema}.audit_records")));
        await using (var command = dataSource.CreateCommand($"""
            INSERT INTO {schema}.mode_transitions (id, "timestamp", from_mode, to_mode, reason_code, source, process_id, host_id, sequence, kind)
            VALUES (gen_random_uuid(), now(), 'recovering', 'normal', 'recovered', 'system', 'v4-proc', 'h', 1, 'mode_change')
            """))
            await command.ExecuteNonQueryAsync();

        var upgrade = await PostgresSchema.MigrateAsync(dataSource, schema);
        Assert.Equal((4, 5), (upgrade.FromVersion, upgrade.ToVersion));
        Assert.Equal([5], upgrade.Applied);
        await AssertTablesExistAsync(schema);
        Assert.Equal(1L, await server.ScalarAsync<long>($"SELECT count(*) FROM {schema}.mode_transitions WHERE process_id = 'v4-proc'"));
        Assert.True(await server.ScalarAsync<bool>("SELECT to_regclass(@t) IS NOT NULL", ("t", $"{schema}.idx_audit_records_timestamp")), "audit_records is indexed by time");
        Assert.Equal("audit_records: audit records that are not transitions",
            await server.ScalarAsync<string>($"SELECT description FROM {schema}.schema_version WHERE version = 5"));
        Assert.Empty((await PostgresSchema.MigrateAsync(dataSource, schema)).Applied); // and again: nothing to do
    }

    [Fact]
    public async Task A_schema_name_that_is_not_a_plain_identifier_is_rejected_before_any_sql()
    {
        await using var dataSource = server.CreateDataSource();
        var ex = await Assert.ThrowsAsync<ArgumentException>(() => PostgresSchema.MigrateAsync(dataSource, "x\"; DROP TABLE y; --"));
        Assert.Contains("Schema", ex.Message);
    }
}
