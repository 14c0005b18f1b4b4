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
        var time = new ManualTimeProvider();
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
        var machine = new DegradationStateMachine(new DegradationPolicy(new DegradationOptions()), new ManualTimeProvider(), store);
        var forced = machine.ForceMode(SystemMode.SafeMode, TimeSpan.FromMinutes(1), "alice", "r");
        Assert.Equal(OperatorRefusal.NotPersisted, forced.Refusal);
        Assert.False(machine.Halt("alice", "r").Durable);
        Assert.Equal(SystemMode.Halt, machine.Mode);
    }

    [Fact]
    public async Task Each_scope_has_its_own_row_under_the_state_key_and_a_restart_restores_it_before_the_scopes_first_check()
    {
        var time = new ManualTimeProvider();
        var store = new PostgresOperatorStateStore(_dataSource, "desk-1", _schema);
        await using (var before = DegradationSystem.Create(null, time, store))
        {
            Assert.True(before.Scopes.Add("venue-a/acct-1").StateMachine.Halt("carol", "runaway account").Durable);
            before.Scopes.Add("venue-a/acct-2");
        }
        var row = (PostgresOperatorStateStore)store.ForScope("venue-a/acct-1");
        Assert.Equal("venue-a/acct-1", row.Load()!.Scope);
        Assert.Null(store.Load()); // the process's row was never written
        Assert.Null(new PostgresOperatorStateStore(_dataSource, "desk-2", _schema).ForScope("venue-a/acct-1").Load()); // another key

        await using var after = DegradationSystem.Create(null, time, new PostgresOperatorStateStore(_dataSource, "desk-1", _schema));
        var account = after.Scopes.Add("venue-a/acct-1");
        Assert.Equal(SystemMode.Halt, after.Gate.For(account).Mode);
        Assert.Equal("carol", account.StateMachine.OperatorHalt!.OperatorId);
        Assert.False(after.Scopes.Add("venue-a/acct-2").StateMachine.IsHalted);
        Assert.False(after.StateMachine.IsHalted);
    }

    [Fact]
    public async Task A_row_written_at_schema_version_3_is_the_processs_and_is_still_read_and_written()
    {
        var schema = PostgresServer.NewSchema();
        await PostgresSchema.MigrateAsync(_dataSource, schema, 3, CancellationToken.None);
        var store = new PostgresOperatorStateStore(_dataSource, "desk-1", schema);
        var time = new ManualTimeProvider();
        var machine = new DegradationStateMachine(new DegradationPolicy(new DegradationOptions()), time, store);
        Assert.True(machine.Halt("carol", "before the upgrade").Durable); // version 3: written as before
        Assert.Null(store.ForScope("venue-a").Load()); // no scope was ever stored at version 3
        Assert.Equal("carol", store.Load()!.Halt!.OperatorId);

        await PostgresSchema.MigrateAsync(_dataSource, schema);
        var upgraded = new PostgresOperatorStateStore(_dataSource, "desk-1", schema);
        Assert.Equal("carol", upgraded.Load()!.Halt!.OperatorId); // the old row is the process's
        Assert.Equal(string.Empty, upgraded.Load()!.Scope);
        var restarted = new DegradationStateMachine(new DegradationPolicy(new DegradationOptions()), time, upgraded);
        Assert.Equal(SystemMode.Halt, restarted.Gate.Snapshot.Mode);
    }
}
