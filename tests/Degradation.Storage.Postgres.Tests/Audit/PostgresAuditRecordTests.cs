using System.Net;
using System.Net.Sockets;
using System.Text;
using Degradation.Audit;
using Degradation.Fallback;
using Degradation.KillSwitches;
using Degradation.Load;
using Degradation.Storage.File;
using Degradation.Storage.Postgres;
using Degradation.Testing;
using Microsoft.Extensions.Time.Testing;
using Npgsql;

namespace Degradation.Tests.Postgres;

/// <summary>
/// Audit records that are not transitions (fallback tiers, load levels, approvals, operator actions, kill-switch
/// outcomes) land in the audit_records table with every field, once, and with the same guarantees as transitions:
/// spooled in order with them while the database is down, written when it answers. A spool written before records
/// existed still drains.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class PostgresAuditRecordTests(PostgresServer server) : IAsyncLifetime
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(60); // an upper bound for a hung test, not a timing assumption
    private readonly string _schema = PostgresServer.NewSchema();
    private readonly string _spool = Directory.CreateTempSubdirectory("degradation-audit-records-").FullName;
    private NpgsqlDataSource _dataSource = null!;

    public async Task InitializeAsync()
    {
        _dataSource = server.CreateDataSource();
        await PostgresSchema.MigrateAsync(_dataSource, _schema);
    }

    public async Task DisposeAsync()
    {
        await _dataSource.DisposeAsync();
        try { Directory.Delete(_spool, recursive: true); }
        catch (IOException) { /* best effort */ }
    }

    private sealed record RecordRow(Guid Id, string ProcessId, string HostId, long Sequence, string Kind, string Action, string? Component,
        string? OperatorId, string? From, string? To, string? Reason, string? Details, DateTimeOffset Timestamp);

    private async Task<List<RecordRow>> RecordsAsync(string processId)
    {
        await using var command = _dataSource.CreateCommand($"""
            SELECT id, process_id, host_id, sequence, kind, action, component, operator_id, from_state, to_state, reason, details, "timestamp"
            FROM {_schema}.audit_records WHERE process_id = @p ORDER BY sequence
            """);
        command.Parameters.AddWithValue("p", processId);
        var rows = new List<RecordRow>();
        await using var reader = await command.ExecuteReaderAsync();
        string? Text(int i) => reader.IsDBNull(i) ? null : reader.GetString(i);
        while (await reader.ReadAsync())
        {
            rows.Add(new RecordRow(reader.GetGuid(0), reader.GetString(1), reader.GetString(2), reader.GetInt64(3), reader.GetString(4), reader.GetString(5),
                Text(6), Text(7), Text(8), Text(9), Text(10), Text(11), reader.GetFieldValue<DateTimeOffset>(12)));
        }
        return rows;
    }

    /// <summary>"t:sequence" or "r:sequence" for every row of <paramref name="processId"/> in both tables, in the order they were inserted.</summary>
    private async Task<List<string>> RowsInInsertOrderAsync(string processId)
    {
        await using var command = _dataSource.CreateCommand($"""
            SELECT k || ':' || sequence FROM (
                SELECT 't' AS k, sequence, xmin::text::bigint AS x FROM {_schema}.mode_transitions WHERE process_id = @p
                UNION ALL
                SELECT 'r', sequence, xmin::text::bigint FROM {_schema}.audit_records WHERE process_id = @p) u
            ORDER BY x, k, sequence
            """);
        command.Parameters.AddWithValue("p", processId);
        var rows = new List<string>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync()) rows.Add(reader.GetString(0));
        return rows;
    }

    private static string UnreachableConnectionString()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return $"Host=127.0.0.1;Port={((IPEndPoint)listener.LocalEndpoint).Port};Username=nobody;Timeout=1";
    }

    private static AuditRecord Record(int i, DateTimeOffset at) => new()
    {
        Kind = AuditEntryKind.Fallback, Action = "fallback.failed_over", Component = "quotes", From = "primary", To = "secondary",
        Reason = "primary_failed", Details = $"record {i}", WallTime = at,
    };

    /// <summary>Transitions of a drill (the cold start first), made on a state machine the store is not attached to.</summary>
    private static async Task<IReadOnlyList<ModeTransition>> TransitionsAsync(FakeTimeProvider time, int overrides)
    {
        await using var system = DegradationSystem.Create(new DegradationOptions { Operator = { MinOverrideTtl = TimeSpan.FromSeconds(1) } }, time);
        for (var i = 0; i < overrides; i++)
        {
            system.StateMachine.ForceMode(SystemMode.SafeMode, TimeSpan.FromSeconds(30), $"op-{i}", $"drill {i}");
            system.StateMachine.ReleaseOverride($"op-{i}", $"drill {i} over");
        }
        return system.StateMachine.GetHistory();
    }

    [Fact]
    public async Task Records_are_stored_with_every_field_in_the_order_they_were_handed_over()
    {
        var time = new FakeTimeProvider(FakeTimeProviderExtensions.TestStart);
        await using var store = new PostgresAuditStore(_dataSource, new PostgresAuditStoreOptions { Schema = _schema, ProcessId = "records-1", HostId = "host-r" }, time);
        var full = new AuditRecord
        {
            Kind = AuditEntryKind.Approval, Action = "approval.granted", Component = "quotes/degraded", OperatorId = "carol",
            From = "pending", To = "granted", Reason = "accept reduced quotes", Details = "é ünïcode ✓ and 'quotes'",
            WallTime = FakeTimeProviderExtensions.TestStart.AddMilliseconds(1234),
        };
        var bare = new AuditRecord { Kind = AuditEntryKind.Other, Action = "positions_reconciled", WallTime = FakeTimeProviderExtensions.TestStart.ToOffset(TimeSpan.FromHours(2)) };
        var everyKind = Enum.GetValues<AuditEntryKind>()
            .Select(kind => new AuditRecord { Kind = kind, Action = "kind." + kind, WallTime = FakeTimeProviderExtensions.TestStart })
            .ToList();

        await store.AppendAsync(full, CancellationToken.None);
        await store.AppendAsync(bare, CancellationToken.None);
        foreach (var record in everyKind) await store.AppendAsync(record, CancellationToken.None);

        var rows = await RecordsAsync("records-1");
        Assert.Equal(Enumerable.Range(1, 2 + everyKind.Count).Select(i => (long)i), rows.Select(r => r.Sequence));
        Assert.All(rows, r => Assert.Equal("host-r", r.HostId));
        Assert.Equal(rows.Count, rows.Select(r => r.Id).Distinct().Count());
        var first = rows[0];
        Assert.Equal(("approval", "approval.granted", "quotes/degraded", "carol", "pending", "granted", "accept reduced quotes", "é ünïcode ✓ and 'quotes'"),
            (first.Kind, first.Action, first.Component, first.OperatorId, first.From, first.To, first.Reason, first.Details));
        Assert.Equal(full.WallTime, first.Timestamp);
        var second = rows[1];
        Assert.Equal(("other", "positions_reconciled"), (second.Kind, second.Action));
        Assert.All(new[] { second.Component, second.OperatorId, second.From, second.To, second.Reason, second.Details }, Assert.Null);
        Assert.Equal(bare.WallTime, second.Timestamp); // the same instant (stored in UTC)
        Assert.Equal(["transition", "override", "operator_action", "approval", "fallback", "load", "feature", "other"], rows.Skip(2).Select(r => r.Kind));
        Assert.Equal(rows.Count, store.Written);
    }

    [Fact]
    public async Task A_record_the_table_could_not_take_is_refused_before_it_is_stored_or_spooled()
    {
        var time = new FakeTimeProvider(FakeTimeProviderExtensions.TestStart);
        await using var store = new PostgresAuditStore(_dataSource, new PostgresAuditStoreOptions { Schema = _schema, ProcessId = "records-bad", SpoolDirectory = _spool }, time);
        var unknownKind = new AuditRecord { Kind = (AuditEntryKind)42, Action = "x", WallTime = time.GetUtcNow() };
        Assert.Contains("42", (await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => store.AppendAsync(unknownKind, CancellationToken.None).AsTask())).Message);
        var noAction = new AuditRecord { Kind = AuditEntryKind.Other, Action = " ", WallTime = time.GetUtcNow() };
        await Assert.ThrowsAnyAsync<ArgumentException>(() => store.AppendAsync(noAction, CancellationToken.None).AsTask());
        Assert.Equal(0, store.Spooled);
        Assert.Empty(await RecordsAsync("records-bad"));
    }

    [Fact]
    public async Task With_the_database_down_records_and_transitions_are_spooled_and_then_written_in_their_original_order()
    {
        const string processId = "records-spool";
        var time = new FakeTimeProvider(FakeTimeProviderExtensions.TestStart);
        var transitions = await TransitionsAsync(time, overrides: 3);
        var expected = new List<string>();
        await using (var down = NpgsqlDataSource.Create(UnreachableConnectionString()))
        await using (var store = new PostgresAuditStore(down, new PostgresAuditStoreOptions { Schema = _schema, ProcessId = processId, HostId = "h", SpoolDirectory = _spool }, time))
        {
            // Interleaved as a process hands them over: a transition, then a record, and so on.
            var recordSequence = 0;
            foreach (var transition in transitions)
            {
                await store.AppendAsync(transition, CancellationToken.None);
                expected.Add($"t:{transition.Sequence}");
                await store.AppendAsync(Record(++recordSequence, transition.WallTime), CancellationToken.None);
                expected.Add($"r:{recordSequence}");
            }
            Assert.Equal(0, store.Written);
            Assert.Equal(expected.Count, store.Spooled);
            Assert.Equal(expected.Count, store.SpoolDepth);
            Assert.NotNull(store.LastError);
        }

        // The restarted process opens the same directory with the database up: every row, in the order it was spooled.
        await using (var successor = new PostgresAuditStore(_dataSource, new PostgresAuditStoreOptions { Schema = _schema, ProcessId = "successor", SpoolDirectory = _spool }, time))
        {
            Assert.True(await successor.DrainAsync().WaitAsync(Wait));
            Assert.Equal(expected.Count, successor.Written);
        }
        Assert.Equal(expected, await RowsInInsertOrderAsync(processId));
        var records = await RecordsAsync(processId);
        Assert.Equal(transitions.Count, records.Count);
        Assert.All(records, r => Assert.Equal(($"record {r.Sequence}", "h", "fallback"), (r.Details, r.HostId, r.Kind)));
    }

    [Fact]
    public async Task A_retried_write_of_a_spooled_row_is_stored_once()
    {
        const string processId = "records-retry";
        var time = new FakeTimeProvider(FakeTimeProviderExtensions.TestStart);
        var transitions = await TransitionsAsync(time, overrides: 1);
        await using (var down = NpgsqlDataSource.Create(UnreachableConnectionString()))
        await using (var store = new PostgresAuditStore(down, new PostgresAuditStoreOptions { Schema = _schema, ProcessId = processId, SpoolDirectory = _spool }, time))
        {
            foreach (var transition in transitions) await store.AppendAsync(transition, CancellationToken.None);
            for (var i = 1; i <= 3; i++) await store.AppendAsync(Record(i, time.GetUtcNow()), CancellationToken.None);
        }
        // A copy of the spool stands for a drain that wrote its rows but died before marking them written: it writes them again.
        var copy = Directory.CreateTempSubdirectory("degradation-audit-records-copy-").FullName;
        try
        {
            foreach (var file in Directory.GetFiles(_spool)) System.IO.File.Copy(file, Path.Combine(copy, Path.GetFileName(file)));
            foreach (var directory in new[] { _spool, copy })
            {
                await using var drainer = new PostgresAuditStore(_dataSource, new PostgresAuditStoreOptions { Schema = _schema, ProcessId = "drainer", SpoolDirectory = directory }, time);
                Assert.True(await drainer.DrainAsync().WaitAsync(Wait));
                Assert.Equal(transitions.Count + 3, drainer.Written);
            }
        }
        finally
        {
            Directory.Delete(copy, recursive: true);
        }
        Assert.Equal([1L, 2, 3], (await RecordsAsync(processId)).Select(r => r.Sequence));
        Assert.Equal(transitions.Count, await server.ScalarAsync<long>($"SELECT count(*) FROM {_schema}.mode_transitions WHERE process_id = @p", ("p", processId)));
    }

    [Fact]
    public async Task A_spool_written_before_records_existed_drains_into_mode_transitions()
    {
        // Exactly what earlier versions wrote: one mode_transition resource per row, the row as JSON.
        const string oldRow = """
            {"Id":"0194a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b","Timestamp":"2026-01-26T09:30:00+00:00","FromMode":"recovering","ToMode":"normal",
             "ReasonCode":"recovered","Source":"system","OperatorId":null,"OverrideTtlSeconds":null,"Details":"cold start over",
             "ProcessId":"old-proc","HostId":"old-host","Sequence":1,"Kind":"mode_change","FromStage":"ready","ToStage":null,"RecoveryRun":7}
            """;
        const string oldOverride = """
            {"Id":"0194a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5c","Timestamp":"2026-01-26T09:31:00+00:00","FromMode":"normal","ToMode":"safe_mode",
             "ReasonCode":"operator_override","Source":"operator","OperatorId":"op-1","OverrideTtlSeconds":90,"Details":"desk override",
             "ProcessId":"old-proc","HostId":"old-host","Sequence":2,"Kind":"override_started","FromStage":null,"ToStage":null,"RecoveryRun":null}
            """;
        await using (var wal = await FileWalStore.OpenAsync(new FileWalStoreOptions { DirectoryPath = _spool, SegmentSizeBytes = 4L * 1024 * 1024, MaxRecordBytes = 1024 * 1024 }))
        {
            foreach (var (sequence, json) in new[] { (1, oldRow), (2, oldOverride) })
            {
                await wal.AppendAsync([new WalRecord
                {
                    IdempotentKey = $"old-proc#{sequence}", ResourceType = "mode_transition", ResourceId = sequence.ToString(System.Globalization.CultureInfo.InvariantCulture),
                    Payload = Encoding.UTF8.GetBytes(json), CreatedAt = FakeTimeProviderExtensions.TestStart,
                }]);
            }
        }

        await using (var store = new PostgresAuditStore(_dataSource, new PostgresAuditStoreOptions { Schema = _schema, ProcessId = "new-proc", SpoolDirectory = _spool }))
        {
            Assert.True(await store.DrainAsync().WaitAsync(Wait));
            Assert.Equal(2, store.Written);
            Assert.Equal(0, store.SpoolDepth);
        }
        Assert.Equal("1:recovering>normal:recovered:mode_change:ready:7::cold start over|2:normal>safe_mode:operator_override:override_started::op-1:90:desk override",
            await server.ScalarAsync<string>($"""
                SELECT string_agg(concat_ws(':', sequence, from_mode || '>' || to_mode, reason_code, kind, coalesce(from_stage, ''),
                                            coalesce(recovery_run::text, operator_id), coalesce(override_ttl::text, ''), details->>'text'), '|' ORDER BY sequence)
                FROM {_schema}.mode_transitions WHERE process_id = 'old-proc' AND host_id = 'old-host'
                """));
        Assert.Empty(await RecordsAsync("old-proc"));
    }

    [Fact]
    public async Task A_spooled_row_of_a_kind_this_version_does_not_know_is_named_and_kept_never_skipped()
    {
        await using (var wal = await FileWalStore.OpenAsync(new FileWalStoreOptions { DirectoryPath = _spool, SegmentSizeBytes = 4L * 1024 * 1024, MaxRecordBytes = 1024 * 1024 }))
        {
            await wal.AppendAsync([new WalRecord
            {
                IdempotentKey = "newer-proc#1", ResourceType = "audit_signature", ResourceId = "1", Payload = "{}"u8.ToArray(), CreatedAt = FakeTimeProviderExtensions.TestStart,
            }]);
        }
        await using var spool = await AuditSpool.OpenAsync(_spool, null, new FakeTimeProvider(FakeTimeProviderExtensions.TestStart), CancellationToken.None);
        var error = await Assert.ThrowsAsync<InvalidDataException>(async () =>
        {
            await foreach (var _ in spool.ReadAsync(CancellationToken.None)) { }
        });
        Assert.Contains("'audit_signature'", error.Message, StringComparison.Ordinal);
        Assert.Contains(_spool, error.Message, StringComparison.Ordinal);
        Assert.Equal(1, spool.Depth); // still there for the version that knows it
    }

    [Fact]
    public async Task Fallback_load_approval_and_kill_switch_records_of_a_composed_runtime_land_in_audit_records()
    {
        const string processId = "records-runtime";
        var time = new FakeTimeProvider(FakeTimeProviderExtensions.TestStart);
        await using var store = new PostgresAuditStore(_dataSource, new PostgresAuditStoreOptions { Schema = _schema, ProcessId = processId }, time);
        await using var runtime = new DegradationSystemBuilder(new DegradationOptions(), time)
            .AddAuditStore(store)
            .AddKillSwitchAction(new MassCancel())
            .Build();
        await runtime.StartAsync();

        var chain = new FallbackChainBuilder<int>("quotes")
            .Primary(_ => throw new TimeoutException("primary down"))
            .Degraded(_ => ValueTask.FromResult(60), requiresApproval: true)
            .Error(-1)
            .Build(time, runtime.Audit);
        for (var i = 0; i < 3; i++) await chain.ExecuteAsync();
        Assert.True(chain.Approve("degraded", "carol", "accept reduced quotes"));
        new LoadLevelMonitor(timeProvider: time, audit: runtime.Audit).Evaluate(5_000_000, 0);
        runtime.System.StateMachine.Halt("dave", "kill switch drill");
        await runtime.System.StateMachine.FlushObserversAsync().WaitAsync(Wait);
        await runtime.System.KillSwitch.WhenIdleAsync().WaitAsync(Wait);
        await runtime.StopAsync().WaitAsync(Wait); // flushes the audit into the store

        var rows = await RecordsAsync(processId);
        Assert.Contains(rows, r => r.Kind == "fallback" && r.Component == "quotes" && r.Action.StartsWith("fallback.", StringComparison.Ordinal));
        Assert.Contains(rows, r => r.Kind == "approval" && r.Action == "approval.granted" && r.Component == "quotes/degraded" && r.OperatorId == "carol");
        Assert.Contains(rows, r => r.Kind == "load" && r.Action == "load.level_changed" && r.From == "Normal" && r.To == "CircuitBreak");
        var killSwitch = Assert.Single(rows, r => r.Action == "kill_switch_action");
        Assert.Equal(("operator_action", "venue-mass-cancel", "Succeeded"), (killSwitch.Kind, killSwitch.Reason, killSwitch.To));
        Assert.Equal(0, runtime.AuditFailures);
        Assert.Equal(1, await server.ScalarAsync<long>(
            $"SELECT count(*) FROM {_schema}.mode_transitions WHERE process_id = @p AND to_mode = 'halt' AND operator_id = 'dave'", ("p", processId)));
    }

    private sealed class MassCancel : IKillSwitchAction
    {
        public string Name => "venue-mass-cancel";

        public Task ExecuteAsync(KillSwitchContext context, CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
