using System.Diagnostics;
using Degradation.Audit;
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
    public async Task Audit_records_handed_to_the_adapter_before_it_starts_wait_for_it_and_later_ones_are_refused_naming_why()
    {
        var schema = PostgresServer.NewSchema();
        var spool = Directory.CreateTempSubdirectory("degradation-adapter-records-").FullName;
        try
        {
            // A composed runtime whose audit stores include the adapter (UsePostgresAudit), started before the adapter, as a host does.
            await using var postgres = new PostgresDegradation(new PostgresDegradationOptions
            {
                ConnectionString = server.ConnectionString, Schema = schema, ProcessId = "entry-records", AuditSpoolDirectory = spool, FleetPolicy = null,
            });
            var builder = new DegradationSystemBuilder(new DegradationOptions(), TimeProvider.System);
            await using var runtime = builder.UsePostgresAudit(postgres).Build();
            await runtime.StartAsync();
            var early = runtime.Audit.AppendAsync(AuditRecord.OperatorAction("load.reset", "alice", "before the adapter", DateTimeOffset.UtcNow), CancellationToken.None);
            Assert.True(early.IsCompleted); // the runtime never waits for a store

            await postgres.StartAsync(runtime.System);
            await runtime.Audit.AppendAsync(AuditRecord.Approval("quotes/degraded", "carol", "after the start", granted: true, DateTimeOffset.UtcNow), CancellationToken.None);
            await runtime.FlushAuditAsync().WaitAsync(TimeSpan.FromSeconds(60)); // as the hosting package does before it stops the adapter
            await postgres.StopAsync();
            var refused = new TaskCompletionSource<Exception>(TaskCreationOptions.RunContinuationsAsynchronously);
            runtime.AuditFailed += (_, error) => refused.TrySetResult(error);
            await runtime.Audit.AppendAsync(AuditRecord.OperatorAction("load.reset", "bob", "after the stop", DateTimeOffset.UtcNow), CancellationToken.None);
            var error = await refused.Task.WaitAsync(TimeSpan.FromSeconds(60));
            Assert.IsType<InvalidOperationException>(error);
            Assert.Contains("stopped", error.Message, StringComparison.Ordinal);
            Assert.Contains("load.reset", error.Message, StringComparison.Ordinal);
            Assert.Equal(1, runtime.AuditFailures);

            Assert.Equal("before the adapter|after the start", await server.ScalarAsync<string>(
                $"SELECT coalesce(string_agg(reason, '|' ORDER BY sequence), '') FROM {schema}.audit_records WHERE process_id = 'entry-records'"));
            await runtime.StopAsync();
        }
        finally
        {
            Directory.Delete(spool, recursive: true);
        }
    }

    [Fact]
    public async Task With_the_audit_off_records_are_refused_naming_the_option()
    {
        await using var postgres = new PostgresDegradation(new PostgresDegradationOptions { ConnectionString = server.ConnectionString, Audit = false, FleetPolicy = null });
        var error = await Assert.ThrowsAsync<InvalidOperationException>(() =>
            postgres.AuditRecords.AppendAsync(AuditRecord.OperatorAction("load.reset", "alice", "drill", DateTimeOffset.UtcNow), CancellationToken.None).AsTask());
        Assert.Contains(nameof(PostgresDegradationOptions.Audit), error.Message, StringComparison.Ordinal);
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
