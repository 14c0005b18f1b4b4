using System.Diagnostics;
using Degradation.Storage.Postgres;

namespace Degradation.Tests.Postgres;

/// <summary>The one-call entry point wires migration, audit, WAL and fleet policy for a system.</summary>
[Collection(PostgresCollection.Name)]
public sealed class PostgresDegradationTests(PostgresServer server)
{
    [Fact]
    public async Task StartAsync_migrates_audits_from_the_cold_start_and_follows_the_fleet()
    {
        var schema = PostgresServer.NewSchema();
        var options = PostgresFleetPolicyOptions.RegisterLossHandling(new DegradationOptions());
        await using var system = DegradationSystem.Create(options);
        await using var postgres = new PostgresDegradation(new PostgresDegradationOptions
        {
            ConnectionString = server.ConnectionString, Schema = schema, ProcessId = "entry-1",
            FleetPolicy = new PostgresFleetPolicyOptions { HeartbeatInterval = TimeSpan.FromMilliseconds(200), QueryTimeout = TimeSpan.FromMilliseconds(500), LossTimeout = TimeSpan.FromSeconds(2) },
        });
        system.Start();
        await postgres.StartAsync(system);
        await postgres.FleetPolicy!.Synchronized.WaitAsync(TimeSpan.FromSeconds(60));
        Assert.Equal(PostgresSchema.LatestVersion, await PostgresSchema.GetVersionAsync(postgres.DataSource, schema));

        await using (var commands = postgres.CreateCommands())
            await commands.ForceAsync(SystemMode.SafeMode, TimeSpan.FromMinutes(1), "op-entry", "wiring test");
        var watch = Stopwatch.StartNew();
        while (system.Gate.Mode != SystemMode.SafeMode && watch.Elapsed < TimeSpan.FromSeconds(60)) await Task.Delay(10);
        Assert.Equal(SystemMode.SafeMode, system.Gate.Mode);

        await using (var wal = postgres.CreateWalStore("entry-1"))
            Assert.Single(await wal.AppendAsync([new WalRecord { IdempotentKey = "k", ResourceType = "order", ResourceId = "1", Payload = "{}"u8.ToArray(), CreatedAt = DateTimeOffset.UnixEpoch }]));

        await postgres.StopAsync();
        var rows = await server.ScalarAsync<long>($"SELECT count(*) FROM {schema}.mode_transitions WHERE process_id = 'entry-1'");
        Assert.Equal(system.StateMachine.TransitionCount, rows);
        Assert.Equal("cold_start", await server.ScalarAsync<string>($"SELECT reason_code FROM {schema}.mode_transitions WHERE process_id = 'entry-1' AND sequence = 1"));
        Assert.Equal("op-entry", await server.ScalarAsync<string>($"SELECT operator_id FROM {schema}.mode_transitions WHERE process_id = 'entry-1' AND kind = 'override_started'"));
    }

    [Fact]
    public void Bad_options_name_the_option()
    {
        var ex = Assert.Throws<ArgumentException>(() => new PostgresDegradation(new PostgresDegradationOptions { ConnectionString = "" }));
        Assert.Contains("ConnectionString", ex.Message);
        var schema = Assert.Throws<ArgumentException>(() => new PostgresDegradation(new PostgresDegradationOptions { ConnectionString = server.ConnectionString, Schema = "Public" }));
        Assert.Contains("Schema", schema.Message);
    }
}
