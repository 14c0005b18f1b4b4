using Microsoft.Extensions.Time.Testing;
using Degradation.Storage.Postgres;
using Degradation.Testing;
using Npgsql;

namespace Degradation.Tests.Postgres;

/// <summary>The PostgreSQL operator state store keeps a Halt across a restart, per state key.</summary>
[Collection(PostgresCollection.Name)]
public sealed class PostgresOperatorStateStoreTests(PostgresServer server) : IAsyncLifetime
{
    private readonly string _schema = PostgresServer.NewSchema();
    private NpgsqlDataSource _dataSource = null!;

    public async Task InitializeAsync()
    {
        _dataSource = server.CreateDataSource();
        await PostgresSchema.MigrateAsync(_dataSource, _schema);
    }

    public async Task DisposeAsync() => await _dataSource.DisposeAsync();

    [Fact]
    public void A_Halt_stored_by_one_process_halts_the_next_one_from_its_first_gate_check()
    {
        var time = new FakeTimeProvider(FakeTimeProviderExtensions.TestStart);
        var policy = new DegradationPolicy(new DegradationOptions());
        var store = new PostgresOperatorStateStore(_dataSource, "desk-1", _schema);
        Assert.Null(store.Load());

        var first = new DegradationStateMachine(policy, time, store);
        Assert.True(first.ForceMode(SystemMode.SafeMode, TimeSpan.FromMinutes(10), "alice", "maintenance").Accepted);
        Assert.True(first.Halt("carol", "runaway algo").Durable);

        var restarted = new DegradationStateMachine(policy, time, new PostgresOperatorStateStore(_dataSource, "desk-1", _schema));
        Assert.Equal(SystemMode.Halt, restarted.Gate.Snapshot.Mode);
        Assert.Equal("carol", restarted.OperatorHalt!.OperatorId);
        Assert.Equal("runaway algo", restarted.OperatorHalt.Reason);

        var other = new DegradationStateMachine(policy, time, new PostgresOperatorStateStore(_dataSource, "desk-2", _schema));
        Assert.Equal(SystemMode.Recovering, other.Gate.Mode); // another key, another kill switch

        Assert.True(restarted.ReleaseHalt("carol", "fixed").Accepted);
        Assert.Null(store.Load()!.Halt);
        Assert.True(restarted.ForceMode(SystemMode.SafeModeDisconnected, TimeSpan.FromMinutes(5), "alice", "venue down").Accepted);
        var kept = store.Load()!.Override!;
        Assert.Equal((SystemMode.SafeModeDisconnected, "alice", TimeSpan.FromMinutes(5)), (kept.Mode, kept.OperatorId, kept.Ttl));
        Assert.Equal(kept.StartedAt + kept.Ttl, kept.ExpiresAt);
    }

    [Fact]
    public async Task Before_the_migration_nothing_is_stored_and_saving_is_refused()
    {
        var schema = PostgresServer.NewSchema();
        await using (var create = _dataSource.CreateCommand($"CREATE SCHEMA {schema}")) await create.ExecuteNonQueryAsync();
        var store = new PostgresOperatorStateStore(_dataSource, "desk-1", schema);
        Assert.Null(store.Load());
        var machine = new DegradationStateMachine(new DegradationPolicy(new DegradationOptions()), new FakeTimeProvider(FakeTimeProviderExtensions.TestStart), store);
        var forced = machine.ForceMode(SystemMode.SafeMode, TimeSpan.FromMinutes(1), "alice", "r");
        Assert.Equal(OperatorRefusal.NotPersisted, forced.Refusal);
        Assert.False(machine.Halt("alice", "r").Durable);
        Assert.Equal(SystemMode.Halt, machine.Mode);
    }
}
