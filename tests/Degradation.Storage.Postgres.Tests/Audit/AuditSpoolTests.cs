using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using System.Net;
using System.Net.Sockets;
using Degradation.Storage.Postgres;
using Microsoft.Extensions.Time.Testing;
using Npgsql;

namespace Degradation.Tests.Postgres;

/// <summary>
/// The audit never drops a transition: what the database does not take goes to a local, fsync'd spool and is
/// written in order when it answers (by this store or by a successor that opens the same directory), the spool's
/// depth is a metric, and reaching its alert depth raises an alert while spooling goes on.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class AuditSpoolTests(PostgresServer server) : IAsyncLifetime
{
    private readonly string _schema = PostgresServer.NewSchema();
    private readonly string _spool = Directory.CreateTempSubdirectory("degradation-audit-spool-test-").FullName;

    public async Task InitializeAsync() => await PostgresSchema.MigrateAsync(server.ConnectionString, _schema);

    public Task DisposeAsync()
    {
        try { Directory.Delete(_spool, recursive: true); }
        catch (IOException) { /* best effort */ }
        return Task.CompletedTask;
    }

    private static string UnreachableConnectionString()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return $"Host=127.0.0.1;Port={((IPEndPoint)listener.LocalEndpoint).Port};Username=nobody;Timeout=1";
    }

    /// <summary>Sequences of <paramref name="processId"/>'s rows in the order they were inserted (transaction id order).</summary>
    private async Task<List<long>> SequencesInInsertOrderAsync(string processId)
    {
        await using var dataSource = server.CreateDataSource();
        await using var command = dataSource.CreateCommand($"SELECT sequence FROM {_schema}.mode_transitions WHERE process_id = @p ORDER BY xmin::text::bigint, sequence");
        command.Parameters.AddWithValue("p", processId);
        var result = new List<long>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync()) result.Add(reader.GetInt64(0));
        return result;
    }

    private sealed class CapturingSink : IAlertSink
    {
        public ConcurrentQueue<Alert> Alerts { get; } = new();

        public ValueTask SendAsync(Alert alert, CancellationToken cancellationToken)
        {
            Alerts.Enqueue(alert);
            return ValueTask.CompletedTask;
        }
    }

    private static long ObserveSpoolDepth(string processId)
    {
        long observed = -1;
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Name == PostgresAuditStore.MeterName && instrument.Name == PostgresAuditStore.SpoolDepthInstrument) l.EnableMeasurementEvents(instrument);
        };
        listener.SetMeasurementEventCallback<long>((_, value, tags, _) =>
        {
            foreach (var tag in tags)
                if (tag.Key == "process_id" && Equals(tag.Value, processId)) observed = value;
        });
        listener.Start();
        listener.RecordObservableInstruments();
        return observed;
    }

    [Fact]
    public async Task A_database_that_takes_nothing_loses_nothing_the_spool_alerts_at_its_depth_and_a_successor_writes_it_in_order()
    {
        const string processId = "spool-proc-1";
        var time = new FakeTimeProvider();
        await using var system = DegradationSystem.Create(new DegradationOptions { Operator = { MinOverrideTtl = TimeSpan.FromSeconds(1) } }, time);
        var sink = new CapturingSink();
        var spoolOptions = new PostgresAuditStoreOptions
        {
            Schema = _schema, ProcessId = processId, HostId = "host-s", SpoolDirectory = _spool, SpoolAlertDepth = 5, AlertSink = sink,
        };

        await using (var down = NpgsqlDataSource.Create(UnreachableConnectionString()))
        await using (var store = new PostgresAuditStore(down, spoolOptions, time))
        {
            using (await store.AttachAsync(system.StateMachine))
            {
                for (var i = 0; i < 6; i++)
                {
                    system.StateMachine.ForceMode(SystemMode.SafeMode, TimeSpan.FromSeconds(30), $"op-{i}", $"outage drill {i}"); // tightening: always accepted
                    system.StateMachine.ReleaseOverride($"op-{i}", $"drill {i} over");
                }
                await system.StateMachine.FlushObserversAsync();
            }
            var count = system.StateMachine.TransitionCount;
            Assert.True(count >= 13, $"the drill makes transitions (made {count})");
            Assert.Equal(0, store.Written);
            Assert.Equal(count, store.Spooled);
            Assert.Equal(count, store.SpoolDepth);
            Assert.Equal(count, ObserveSpoolDepth(processId));
            Assert.Equal(0, system.StateMachine.ObserverFailures); // nothing was given up
            Assert.NotNull(store.LastError);

            // One alert when the depth reached 5, none for every row after it, and the rows past it were kept.
            Assert.Equal(1, store.SpoolAlerts);
            var alert = Assert.Single(sink.Alerts);
            Assert.Equal(Severity.Critical, alert.Severity);
            Assert.Contains("alert depth 5", alert.Title, StringComparison.Ordinal);
            Assert.Contains(_spool, alert.Message, StringComparison.Ordinal);
        }

        // A successor (e.g. the restarted process) opens the same directory with the database up: every row, in order.
        await using (var up = server.CreateDataSource())
        await using (var successor = new PostgresAuditStore(up, new PostgresAuditStoreOptions { Schema = _schema, ProcessId = "successor", SpoolDirectory = _spool }, time))
        {
            Assert.True(await successor.DrainAsync().WaitAsync(TimeSpan.FromSeconds(60)));
            Assert.Equal(0, successor.SpoolDepth);
            Assert.Equal(system.StateMachine.TransitionCount, successor.Written);
        }
        var history = system.StateMachine.GetHistory().Select(t => t.Sequence).ToList();
        Assert.Equal(history, await SequencesInInsertOrderAsync(processId));
    }

    [Fact]
    public void Spool_options_are_validated_naming_the_option()
    {
        Assert.Equal(nameof(PostgresAuditStoreOptions.SpoolAlertDepth), Assert.Throws<ArgumentOutOfRangeException>(() =>
            new PostgresAuditStore("Host=127.0.0.1", new PostgresAuditStoreOptions { SpoolDirectory = _spool, SpoolAlertDepth = 0 })).ParamName);
        Assert.Equal(nameof(PostgresAuditStoreOptions.SpoolDirectory), Assert.Throws<ArgumentException>(() =>
            new PostgresAuditStore("Host=127.0.0.1", new PostgresAuditStoreOptions { SpoolDirectory = " " })).ParamName);
        Assert.Equal(nameof(PostgresAuditStoreOptions.AttemptTimeout), Assert.Throws<ArgumentOutOfRangeException>(() =>
            new PostgresAuditStore("Host=127.0.0.1", new PostgresAuditStoreOptions { AttemptTimeout = TimeSpan.Zero })).ParamName);
    }
}
