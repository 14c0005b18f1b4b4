using Degradation.Storage.Postgres;
using Xunit.Abstractions;

namespace Degradation.Tests.Postgres;

/// <summary>
/// The adapter end to end across a real outage (pg_ctl stop / start): every transition the process made — the
/// fail-closed ones the outage caused and an operator's during it included — is a row after a clean stop,
/// inserted in sequence order.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class AuditAcrossOutageTests(PostgresServer server, ITestOutputHelper output) : IAsyncLifetime
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(60);
    private readonly string _schema = PostgresServer.NewSchema();
    private readonly string _spool = Directory.CreateTempSubdirectory("degradation-audit-outage-").FullName;

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        // Whatever happened, leave the shared server running for the other tests.
        try { await server.StartAsync(); }
        catch (InvalidOperationException) { /* already running */ }
        try { Directory.Delete(_spool, recursive: true); }
        catch (IOException) { /* best effort */ }
    }

    [Fact]
    public async Task Transitions_equal_audit_rows_in_order_across_a_database_outage_and_a_clean_stop()
    {
        const string processId = "outage-proc";
        var options = PostgresFleetPolicyOptions.RegisterLossHandling(new DegradationOptions { Recovery = { StablePeriod = TimeSpan.Zero }, SafeMode = { MinDwell = TimeSpan.Zero }, StateMachine = { TickInterval = TimeSpan.FromMilliseconds(10) } });
        await using var system = DegradationSystem.Create(options, TimeProvider.System);
        var sm = system.StateMachine;
        using var modes = new ModeWatcher(sm);
        void Fresh() { foreach (var c in new[] { ComponentId.Broker, ComponentId.MarketData, ComponentId.Risk }) system.Heartbeat(c); }
        Fresh();
        await using var heartbeats = TimeProvider.System.CreateTimer(_ => Fresh(), null, TimeSpan.FromMilliseconds(200), TimeSpan.FromMilliseconds(200));
        system.Start();
        modes.AdvanceColdStart();

        await using var postgres = new PostgresDegradation(new PostgresDegradationOptions
        {
            ConnectionString = server.ConnectionString, Schema = _schema, ProcessId = processId, AuditSpoolDirectory = _spool,
            FleetPolicy = new PostgresFleetPolicyOptions
            {
                HeartbeatInterval = TimeSpan.FromMilliseconds(200), QueryTimeout = TimeSpan.FromMilliseconds(800), LossTimeout = TimeSpan.FromSeconds(1.5),
                ReconnectDelay = TimeSpan.FromMilliseconds(50), MaxReconnectDelay = TimeSpan.FromMilliseconds(300),
            },
        });
        await postgres.StartAsync(system);
        await modes.WaitForAsync(SystemMode.Normal, Wait);
        sm.ForceMode(SystemMode.SafeMode, TimeSpan.FromSeconds(30), "op-before", "before the outage");
        sm.ReleaseOverride("op-before", "done");
        await modes.WaitForAsync(SystemMode.Normal, Wait);

        await server.StopAsync();
        await modes.WaitForAsync(SystemMode.SafeMode, Wait); // the lost policy channel fails closed
        sm.ForceMode(SystemMode.SafeModeDisconnected, TimeSpan.FromSeconds(30), "op-during", "hold during the outage"); // a forced Halt would be the kill switch, released only by ReleaseHalt
        sm.ReleaseOverride("op-during", "done");
        await sm.FlushObserversAsync();
        var audit = postgres.AuditStore!;
        Assert.True(audit.Spooled > 0, "transitions made while the database is down are spooled");
        output.WriteLine($"during the outage: {audit.SpoolDepth} rows spooled of {sm.TransitionCount} transitions; last error: {audit.LastError}");

        await server.StartAsync();
        await modes.WaitForAsync(SystemMode.Normal, Wait); // the policy answers again, the system recovers
        // Clean stop, system first: once the adapter stops, its silent fleet component would go stale and fail the
        // system closed — a transition made after the audit detached. The adapter's stop drains the spool.
        await heartbeats.DisposeAsync();
        await system.StopAsync();
        await postgres.StopAsync();
        var transitions = sm.TransitionCount;

        var rows = await server.ScalarAsync<long>($"SELECT count(*) FROM {_schema}.mode_transitions WHERE process_id = @p", ("p", processId));
        output.WriteLine($"transitions {transitions}, audit rows {rows}, spooled {audit.Spooled}, written {audit.Written}, spool left {audit.SpoolDepth}");
        Assert.Equal(transitions, rows);
        Assert.Equal(0, audit.SpoolDepth);
        Assert.Equal(0, sm.ObserverFailures);
        var inInsertOrder = await server.ScalarAsync<long[]>(
            $"SELECT array_agg(sequence ORDER BY xmin::text::bigint, sequence) FROM {_schema}.mode_transitions WHERE process_id = @p", ("p", processId));
        Assert.Equal(Enumerable.Range(1, (int)transitions).Select(i => (long)i), inInsertOrder);
        Assert.Equal(1, await server.ScalarAsync<long>(
            $"SELECT count(*) FROM {_schema}.mode_transitions WHERE process_id = @p AND operator_id = 'op-during' AND kind = 'override_started'", ("p", processId)));
        Assert.True(await server.ScalarAsync<long>(
            $"SELECT count(*) FROM {_schema}.mode_transitions WHERE process_id = @p AND reason_code = @r", ("p", processId), ("r", PostgresFleetPolicyOptions.DefaultLossReason)) >= 1,
            "the fail-closed transition the outage caused is audited");
    }
}
