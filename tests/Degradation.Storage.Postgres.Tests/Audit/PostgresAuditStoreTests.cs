using Microsoft.Extensions.Time.Testing;
using Degradation.Storage.Postgres;
using Degradation.Testing;
using Npgsql;

namespace Degradation.Tests.Postgres;

/// <summary>Every transition of a state machine lands in the mode_transitions table, with process, host and sequence.</summary>
[Collection(PostgresCollection.Name)]
public sealed class PostgresAuditStoreTests(PostgresServer server) : IAsyncLifetime
{
    private readonly string _schema = PostgresServer.NewSchema();
    private NpgsqlDataSource _dataSource = null!;

    public async Task InitializeAsync()
    {
        _dataSource = server.CreateDataSource();
        await PostgresSchema.MigrateAsync(_dataSource, _schema);
    }

    public async Task DisposeAsync() => await _dataSource.DisposeAsync();

    private sealed record Row(long Sequence, DateTimeOffset Timestamp, string From, string To, string Reason, string Source, string? Operator,
        int? OverrideTtl, string? DetailsText, string ProcessId, string HostId, string Kind, string? FromStage, string? ToStage, long? Run);

    private async Task<List<Row>> RowsAsync(string processId)
    {
        await using var command = _dataSource.CreateCommand($"""
            SELECT sequence, "timestamp", from_mode, to_mode, reason_code, source, operator_id, override_ttl, details->>'text',
                   process_id, host_id, kind, from_stage, to_stage, recovery_run
            FROM {_schema}.mode_transitions WHERE process_id = @p ORDER BY sequence
            """);
        command.Parameters.AddWithValue("p", processId);
        var rows = new List<Row>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            rows.Add(new Row(reader.GetInt64(0), reader.GetFieldValue<DateTimeOffset>(1), reader.GetString(2), reader.GetString(3), reader.GetString(4),
                reader.GetString(5), reader.IsDBNull(6) ? null : reader.GetString(6), reader.IsDBNull(7) ? null : reader.GetInt32(7),
                reader.IsDBNull(8) ? null : reader.GetString(8), reader.GetString(9), reader.GetString(10), reader.GetString(11),
                reader.IsDBNull(12) ? null : reader.GetString(12), reader.IsDBNull(13) ? null : reader.GetString(13), reader.IsDBNull(14) ? null : reader.GetInt64(14)));
        }
        return rows;
    }

    [Fact]
    public async Task Every_transition_is_stored_once_with_its_fields_in_sequence_order()
    {
        var time = new FakeTimeProvider(FakeTimeProviderExtensions.TestStart);
        await using var system = DegradationSystem.Create(new DegradationOptions { Recovery = { StablePeriod = TimeSpan.FromSeconds(1) }, SafeMode = { MinDwell = TimeSpan.FromSeconds(2) } }, time);
        var sm = system.StateMachine;
        await using var store = new PostgresAuditStore(_dataSource, new PostgresAuditStoreOptions { Schema = _schema, ProcessId = "proc-audit-1", HostId = "host-a" }, time);
        using var attachment = await store.AttachAsync(sm);

        void Event(EventType type, ComponentId component, ReasonCode reason = default) => sm.Apply(SystemEvent.Create(time, type, component, reason));
        void Fresh() { foreach (var c in new[] { ComponentId.Broker, ComponentId.MarketData, ComponentId.Risk }) Event(EventType.Heartbeat, c); }

        Fresh();
        var run = sm.ActiveRecoveryRun!.Value;
        Assert.True(sm.TryAdvanceStage(run, RecoveryStage.CatchupMarketData));
        Assert.True(sm.TryAdvanceStage(run, RecoveryStage.VerifyRisk));
        Assert.True(sm.TryAdvanceStage(run, RecoveryStage.Ready));
        time.Advance(TimeSpan.FromSeconds(1.5));
        Fresh();
        sm.Tick();
        Assert.Equal(SystemMode.Normal, sm.Mode);
        Event(EventType.FailSupport, ComponentId.Db, ReasonCode.DbWriteFailBuffered);
        Assert.Equal(SystemMode.Degraded, sm.Mode);
        Event(EventType.FailCritical, ComponentId.Broker, ReasonCode.BrokerDisconnect);
        Assert.Equal(SystemMode.SafeModeDisconnected, sm.Mode);
        Assert.True(sm.ForceMode(SystemMode.SafeModeDisconnected, TimeSpan.FromSeconds(90), "op-7", "desk override for audit test").Accepted);
        Assert.True(sm.ReleaseOverride("op-7", "resume").Accepted);
        Event(EventType.FailCritical, ComponentId.Risk, ReasonCode.RiskBreachHard);
        Assert.Equal(SystemMode.Halt, sm.Mode);
        Assert.True(sm.ReleaseHalt("op-8", "limits reviewed", acknowledge: [ReasonCode.RiskBreachHard]).Accepted);

        await sm.FlushObserversAsync();
        var history = sm.GetHistory();
        var rows = await RowsAsync("proc-audit-1");

        Assert.True(history.Count >= 10, $"the scenario makes many transitions (made {history.Count})");
        Assert.Equal(history.Select(t => t.Sequence), rows.Select(r => r.Sequence)); // the cold start (made before attaching) included
        foreach (var (t, r) in history.Zip(rows))
        {
            Assert.Equal(t.WallTime, r.Timestamp);
            Assert.Equal(Snake(t.From), r.From);
            Assert.Equal(Snake(t.To), r.To);
            Assert.Equal(t.Reason.Value, r.Reason);
            Assert.Equal(t.Component.Name, r.Source);
            Assert.Equal(t.OperatorId, r.Operator);
            Assert.Equal(t.OverrideTtl is { } ttl ? (int)ttl.TotalSeconds : null, r.OverrideTtl);
            Assert.Equal(t.Details, r.DetailsText);
            Assert.Equal("host-a", r.HostId);
            Assert.Equal(Snake(t.Kind.ToString()), r.Kind);
            Assert.Equal(t.RecoveryRun?.Value, r.Run);
            Assert.Equal(t.ToStage is { } s ? Snake(s.ToString()).Replace("catchup_market_data", "catchup_marketdata", StringComparison.Ordinal) : null, r.ToStage);
        }
        Assert.Contains(rows, r => r.Kind == "override_started" && r.Operator == "op-7" && r.OverrideTtl == 90 && r.DetailsText == "desk override for audit test" && r.To == "safe_mode_disconnected");
        Assert.Contains(rows, r => r.Kind == "override_ended" && r.Operator == "op-7");
        Assert.Contains(rows, r => r.Kind == "halt_released" && r.Operator == "op-8" && r.From == "halt");
        Assert.True(store.Written >= history.Count);

        // A second attach (e.g. after a restart of the adapter) stores nothing twice.
        using (await store.AttachAsync(sm)) { }
        Assert.Equal(history.Count, (await RowsAsync("proc-audit-1")).Count);
    }

    [Fact]
    public async Task The_table_keeps_the_seed_check_constraints_and_timestamp_index()
    {
        var ex = await Assert.ThrowsAsync<PostgresException>(async () =>
        {
            await using var command = _dataSource.CreateCommand($"""
                INSERT INTO {_schema}.mode_transitions (id, "timestamp", from_mode, to_mode, reason_code, source, process_id, host_id, sequence, kind)
                VALUES (gen_random_uuid(), now(), 'normal', 'panic', 'x', 'system', 'p', 'h', 1, 'mode_change')
                """);
            await command.ExecuteNonQueryAsync();
        });
        Assert.Equal(PostgresErrorCodes.CheckViolation, ex.SqlState);
        Assert.Equal("ck_mode_transitions_to_mode", ex.ConstraintName);
        await using var index = _dataSource.CreateCommand("SELECT indexdef FROM pg_indexes WHERE schemaname = @s AND indexname = 'idx_mode_transitions_timestamp'");
        index.Parameters.AddWithValue("s", _schema);
        Assert.Contains("\"timestamp\" DESC", (string)(await index.ExecuteScalarAsync())!);
    }

    [Fact]
    public async Task Two_processes_share_the_table_without_clashing_sequences()
    {
        var time = new FakeTimeProvider(FakeTimeProviderExtensions.TestStart);
        await using var one = DegradationSystem.Create(null, time);
        await using var two = DegradationSystem.Create(null, time);
        await using var storeOne = new PostgresAuditStore(_dataSource, new PostgresAuditStoreOptions { Schema = _schema, ProcessId = "proc-1" }, time);
        await using var storeTwo = new PostgresAuditStore(_dataSource, new PostgresAuditStoreOptions { Schema = _schema, ProcessId = "proc-2" }, time);
        using var a = await storeOne.AttachAsync(one.StateMachine);
        using var b = await storeTwo.AttachAsync(two.StateMachine);
        one.StateMachine.ForceMode(SystemMode.Halt, TimeSpan.FromSeconds(5), "op", "one");
        two.StateMachine.ForceMode(SystemMode.SafeMode, TimeSpan.FromSeconds(5), "op", "two");
        await one.StateMachine.FlushObserversAsync();
        await two.StateMachine.FlushObserversAsync();
        Assert.Equal([1L, 2L], (await RowsAsync("proc-1")).Select(r => r.Sequence));
        Assert.Equal([1L, 2L], (await RowsAsync("proc-2")).Select(r => r.Sequence));
        Assert.Equal("safe_mode", (await RowsAsync("proc-2"))[1].To);
    }

    private static string Snake(SystemMode mode) => Snake(mode.ToString());

    private static string Snake(string pascal) =>
        string.Concat(pascal.Select((c, i) => char.IsUpper(c) ? (i > 0 ? "_" : "") + char.ToLowerInvariant(c) : c.ToString()));
}
