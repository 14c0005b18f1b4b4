using Degradation.Storage.Postgres;
using Microsoft.Extensions.Time.Testing;

namespace Degradation.Tests.Postgres;

/// <summary>The PostgreSQL stores plug into <see cref="DegradationSystemBuilder"/> without DI.</summary>
[Collection(PostgresCollection.Name)]
public sealed class PostgresBuilderExtensionsTests(PostgresServer server)
{
    [Fact]
    public async Task A_Halt_kept_in_the_schema_holds_from_the_first_gate_check_of_the_next_runtime_and_its_wal_is_postgres()
    {
        var schema = PostgresServer.NewSchema();
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 11, 30, 9, 0, 0, TimeSpan.Zero));
        await using var postgres = new PostgresDegradation(new PostgresDegradationOptions { ConnectionString = server.ConnectionString, Schema = schema, ProcessId = "builder-1" });
        await postgres.MigrateAsync();

        await using (var first = new DegradationSystemBuilder(timeProvider: time).UsePostgresOperatorState(postgres, "desk-1").Build())
            Assert.True(first.System.StateMachine.Halt("carol", "runaway algo").Durable);

        await using var next = await new DegradationSystemBuilder(timeProvider: time)
            .UsePostgresOperatorState(postgres, "desk-1")
            .UsePostgresWal(postgres, "builder-1")
            .AddWriteBuffer(BufferedWriteTarget.Create((_, _) => ValueTask.CompletedTask, (_, _) => ValueTask.FromResult(false)))
            .BuildAsync();
        Assert.Equal(SystemMode.Halt, next.Gate.Snapshot.Mode);
        Assert.Equal("carol", next.System.StateMachine.OperatorHalt!.OperatorId);
        Assert.IsType<PostgresWalStore>(next.WalStore);
        await next.StartAsync();
        await next.WriteBuffer!.EnqueueAsync("k-1", "order", "1", "{}"u8.ToArray());
        Assert.Equal(SystemMode.Halt, next.Gate.Mode);
        await next.StopAsync();
        Assert.Equal(1L, await server.ScalarAsync<long>($"SELECT count(*) FROM {schema}.db_buffer_wal"));
    }

    [Fact]
    public async Task A_bad_state_key_fails_where_it_is_written()
    {
        await using var postgres = new PostgresDegradation(new PostgresDegradationOptions { ConnectionString = server.ConnectionString });
        var error = Assert.Throws<ArgumentException>(() => new DegradationSystemBuilder().UsePostgresOperatorState(postgres, new string('k', 201)));
        Assert.Contains("201", error.Message);
    }
}
