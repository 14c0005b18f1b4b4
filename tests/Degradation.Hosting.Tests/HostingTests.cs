using Microsoft.Extensions.Time.Testing;
using System.Diagnostics.Metrics;
using Degradation.Hosting;
using Degradation.Testing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Degradation.Tests;

public class HostingTests
{
    private const string ValidJson = """
    {
      "Degradation": {
        "Probes": { "FailThresholdCount": 4 },
        "Recovery": { "StablePeriod": "00:00:02" },
        "SafeMode": { "MinDwell": "00:00:05" },
        "DecisionMatrix": { "orderbook.gap": "Degraded" },
        "MustDeliverReasons": [ "venue.kill_switch" ],
        "Components": { "orderbook-ws": { "Critical": false, "Fallback": "rest-polling", "Category": "market data" } },
        "TradingLimits": { "Degraded": { "MaxOrderQuantity": 25 } }
      }
    }
    """;

    [Fact]
    public async Task Options_bind_from_json_configuration()
    {
        var builder = TestHosts.Builder(ValidJson);
        builder.Services.AddGracefulDegradation(builder.Configuration.GetSection("Degradation"));
        using var host = builder.Build();
        await host.StartAsync();
        var system = host.Services.GetRequiredService<DegradationSystem>();
        Assert.Equal(4, system.Options.Probes.FailThresholdCount);
        Assert.Equal(TimeSpan.FromSeconds(2), system.Options.Recovery.StablePeriod);
        Assert.Equal(TimeSpan.FromSeconds(5), system.Options.SafeMode.MinDwell);
        Assert.Equal(SystemMode.Degraded, system.Policy.DecisionMatrix["orderbook.gap"]);
        Assert.True(system.Policy.IsMustDeliver(new ReasonCode("venue.kill_switch")));
        Assert.True(system.Policy.IsMustDeliver(ReasonCode.BrokerDisconnect), "the default must-deliver reasons stay");
        Assert.Equal("rest-polling", system.Policy.GetComponent(new ComponentId("orderbook-ws"))!.Fallback);
        Assert.Equal(25m, system.Policy.GetLimits(SystemMode.Degraded)!.MaxOrderQuantity);
        Assert.Same(system.Gate, host.Services.GetRequiredService<ITradingGate>());
        Assert.Same(system.StateMachine, host.Services.GetRequiredService<DegradationStateMachine>());
        Assert.Same(system.Bus, host.Services.GetRequiredService<EventBus>());
        await host.StopAsync();
    }

    [Theory]
    [InlineData("""{"Degradation":{"Probes":{"FailThresholdCount":-1}}}""", "Degradation:Probes:FailThresholdCount")]
    [InlineData("""{"Degradation":{"EventBus":{"QueueSize":0}}}""", "Degradation:EventBus:QueueSize")]
    [InlineData("""{"Degradation":{"Operator":{"MinOverrideTtl":"00:01:40","MaxOverrideTtl":"00:00:10"}}}""", "Degradation:Operator:MaxOverrideTtl")]
    [InlineData("""{"Degradation":{"DecisionMatrix":{"broker.mismatch":"Degraded"}}}""", "Degradation:DecisionMatrix:broker.mismatch")]
    [InlineData("""{"Degradation":{"DecisionMatrix":{"broker.disconnect":"Normal"}}}""", "Degradation:DecisionMatrix:broker.disconnect")]
    [InlineData("""{"Degradation":{"DecisionMatrix":{"all.healthy":"Normal"},"AllowLoosening":["all.healthy"]}}""", "Degradation:DecisionMatrix:all.healthy")]
    public async Task Invalid_configuration_stops_the_host_naming_the_key(string json, string key)
    {
        var builder = TestHosts.Builder(json);
        builder.Services.AddGracefulDegradation(builder.Configuration.GetSection("Degradation"));
        using var host = builder.Build();
        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync());
        Assert.Contains(key, error.Message);
    }

    [Theory]
    [InlineData("""{"Degradation":{"DecisionMatrix":{"orderbook.gap":"Panic"}}}""", "Degradation:DecisionMatrix:orderbook.gap")]
    [InlineData("""{"Degradation":{"FailTreshold":3}}""", "FailTreshold")]
    [InlineData("""{"Degradation":{"Probes":{"FailThresholdCount":"three"}}}""", "Degradation:Probes:FailThresholdCount")]
    public async Task Unknown_mode_names_typos_and_bad_types_stop_the_host_naming_the_key(string json, string key)
    {
        var builder = TestHosts.Builder(json);
        builder.Services.AddGracefulDegradation(builder.Configuration.GetSection("Degradation"));
        using var host = builder.Build();
        var error = await Assert.ThrowsAnyAsync<Exception>(() => host.StartAsync());
        Assert.Contains(key, error.ToString());
    }

    [Fact]
    public async Task Code_configuration_and_components_from_the_builder_apply()
    {
        var builder = TestHosts.Builder();
        builder.Services.AddGracefulDegradation(o => o.SafeMode.MinDwell = TimeSpan.FromSeconds(7))
            .AddComponent("orderbook-ws", critical: false, fallback: "rest-polling");
        using var host = builder.Build();
        await host.StartAsync();
        var system = host.Services.GetRequiredService<DegradationSystem>();
        Assert.Equal(TimeSpan.FromSeconds(7), system.Options.SafeMode.MinDwell);
        Assert.False(system.Policy.GetComponent(new ComponentId("orderbook-ws"))!.Critical);
        await host.StopAsync();
    }

    [Fact]
    public void Builder_rejects_bad_component_arguments_naming_them()
    {
        var services = new ServiceCollection();
        var builder = services.AddGracefulDegradation();
        Assert.Equal("name", Assert.ThrowsAny<ArgumentException>(() => builder.AddComponent(" ", true)).ParamName);
        Assert.Equal("statusTtl", Assert.ThrowsAny<ArgumentException>(() => builder.AddComponent("x", true, statusTtl: TimeSpan.Zero)).ParamName);
    }

    [Fact]
    public async Task Hosted_service_starts_the_bus_and_timer_and_stop_drains_it()
    {
        var time = new FakeTimeProvider(FakeTimeProviderExtensions.TestStart);
        var builder = TestHosts.Builder(time: time);
        builder.Services.AddGracefulDegradation(o => o.Recovery.StablePeriod = TimeSpan.FromSeconds(1));
        using var host = builder.Build();
        await host.StartAsync();
        var system = host.Services.GetRequiredService<DegradationSystem>();
        Assert.True(system.Bus.IsRunning);
        await TestHosts.BringToNormalAsync(system, time); // Ready -> Normal happens on the host's timer, driven by the clock
        for (var i = 0; i < 500; i++) system.Heartbeat(ComponentId.Db);
        await host.StopAsync();
        Assert.False(system.Bus.IsRunning);
        Assert.Equal(0, system.Bus.PendingCount);
        Assert.True(system.Bus.ProcessedCount >= 503);
    }

    [Fact]
    public async Task Transitions_are_logged_with_structured_fields_warning_when_escalating()
    {
        var time = new FakeTimeProvider(FakeTimeProviderExtensions.TestStart);
        var logs = new CapturingLoggerProvider();
        var builder = TestHosts.Builder(time: time, logs: logs);
        builder.Services.AddGracefulDegradation(o => o.Recovery.StablePeriod = TimeSpan.FromSeconds(1));
        using var host = builder.Build();
        await host.StartAsync();
        var system = host.Services.GetRequiredService<DegradationSystem>();
        await TestHosts.BringToNormalAsync(system, time);
        system.ReportFailure(ComponentId.Broker, ReasonCode.BrokerDisconnect);
        system.StateMachine.ForceMode(SystemMode.SafeModeDisconnected, TimeSpan.FromMinutes(5), "alice", "drill");
        await system.StateMachine.FlushObserversAsync();

        var escalation = Assert.Single(logs.Entries, e => e.Id.Id == 1001 && e.Message.Contains("-> safe_mode_disconnected"));
        Assert.Equal(LogLevel.Warning, escalation.Level);
        Assert.Contains(escalation.State, kv => kv.Key == "Reason" && (string?)kv.Value == "broker.disconnect");
        Assert.Contains(escalation.State, kv => kv.Key == "Sequence");
        var recovering = Assert.Single(logs.Entries, e => e.Id.Id == 1002 && e.Message.Contains("-> normal"));
        Assert.Equal(LogLevel.Information, recovering.Level);
        Assert.Contains(logs.Entries, e => e.Id.Id == 1003); // recovery stages
        var forced = Assert.Single(logs.Entries, e => e.Id.Id == 1004);
        Assert.Contains(forced.State, kv => kv.Key == "OperatorId" && (string?)kv.Value == "alice");
        await host.StopAsync();
    }

    [Fact]
    public async Task Dropped_events_are_logged()
    {
        var time = new FakeTimeProvider(FakeTimeProviderExtensions.TestStart);
        var logs = new CapturingLoggerProvider();
        var builder = TestHosts.Builder(time: time, logs: logs);
        builder.Services.AddGracefulDegradation(o => o.EventBus.QueueSize = 1);
        using var host = builder.Build();
        var system = host.Services.GetRequiredService<DegradationSystem>();
        // Not started yet: the bus holds one event, the rest are dropped.
        for (var i = 0; i < 10; i++) system.Heartbeat(ComponentId.Db);
        Assert.Equal(9, system.Bus.DroppedCount);
        await host.StartAsync();
        time.Advance(TimeSpan.FromSeconds(1.1));
        var entry = Assert.Single(logs.Entries, e => e.Id.Id == 1010);
        Assert.Equal(LogLevel.Warning, entry.Level);
        Assert.Contains(entry.State, kv => kv.Key == "Dropped" && (long)kv.Value! == 9);
        await host.StopAsync();
    }

    [Fact]
    public async Task Metrics_are_published_on_the_Degradation_meter()
    {
        var time = new FakeTimeProvider(FakeTimeProviderExtensions.TestStart);
        var builder = TestHosts.Builder(time: time);
        builder.Services.AddGracefulDegradation(o => o.Recovery.StablePeriod = TimeSpan.FromSeconds(1));
        using var host = builder.Build();
        var measurements = new List<(string Name, long Value, Dictionary<string, object?> Tags)>();
        using var listener = new MeterListener();
        var metrics = host.Services.GetRequiredService<DegradationMetrics>();
        listener.InstrumentPublished = (instrument, l) => { if (instrument.Meter == metrics.Meter) l.EnableMeasurementEvents(instrument); };
        void Record<T>(Instrument instrument, T value, ReadOnlySpan<KeyValuePair<string, object?>> tags, object? state) where T : struct
        {
            lock (measurements) measurements.Add((instrument.Name, Convert.ToInt64(value, System.Globalization.CultureInfo.InvariantCulture), new Dictionary<string, object?>(tags.ToArray())));
        }
        listener.SetMeasurementEventCallback<long>(Record);
        listener.SetMeasurementEventCallback<int>(Record);
        listener.Start();

        await host.StartAsync();
        var system = host.Services.GetRequiredService<DegradationSystem>();
        await TestHosts.BringToNormalAsync(system, time);
        system.ReportFailure(ComponentId.Broker, ReasonCode.BrokerDisconnect);
        await system.StateMachine.FlushObserversAsync();
        await system.Bus.DrainAsync();
        listener.RecordObservableInstruments();

        Assert.Equal(DegradationMetrics.MeterName, metrics.Meter.Name);
        lock (measurements)
        {
            Assert.Contains(measurements, m => m.Name == "degradation.transitions"
                && (string?)m.Tags["degradation.mode.to"] == "safe_mode_disconnected"
                && (string?)m.Tags["degradation.reason"] == "broker.disconnect");
            Assert.Contains(measurements, m => m.Name == "degradation.mode" && m.Value == (int)SystemMode.SafeModeDisconnected);
            Assert.Contains(measurements, m => m.Name == "degradation.events.processed" && m.Value > 0);
            Assert.Contains(measurements, m => m.Name == "degradation.events.must_deliver" && m.Value == 1);
            Assert.Contains(measurements, m => m.Name == "degradation.events.dropped");
        }
        await host.StopAsync();
    }

    [Fact]
    public async Task Health_check_maps_modes_to_healthy_degraded_unhealthy()
    {
        var time = new FakeTimeProvider(FakeTimeProviderExtensions.TestStart);
        var builder = TestHosts.Builder(time: time);
        builder.Services.AddGracefulDegradation(o => o.Recovery.StablePeriod = TimeSpan.FromSeconds(1));
        builder.Services.AddHealthChecks().AddDegradationCheck();
        using var host = builder.Build();
        await host.StartAsync();
        var system = host.Services.GetRequiredService<DegradationSystem>();
        var health = host.Services.GetRequiredService<HealthCheckService>();

        var recovering = await health.CheckHealthAsync();
        Assert.Equal(HealthStatus.Degraded, recovering.Status);
        Assert.Equal("recovering", recovering.Entries["degradation"].Data["mode"]);
        Assert.True(recovering.Entries["degradation"].Data.ContainsKey("stage"));
        // Why not Normal, in the description: the critical components nobody has reported yet.
        Assert.Contains("critical component 'market_data' has never reported", recovering.Entries["degradation"].Description, StringComparison.Ordinal);

        await TestHosts.BringToNormalAsync(system, time);
        var normal = await health.CheckHealthAsync();
        Assert.Equal(HealthStatus.Healthy, normal.Status);
        Assert.Equal("healthy", normal.Entries["degradation"].Data["component.broker"]);

        system.ReportFailure(ComponentId.Alerts, ReasonCode.AlertsChannelDown);
        await system.Bus.DrainAsync();
        Assert.Equal(HealthStatus.Degraded, (await health.CheckHealthAsync()).Status);

        system.ReportFailure(ComponentId.Broker, ReasonCode.BrokerDisconnect);
        var down = await health.CheckHealthAsync();
        Assert.Equal(HealthStatus.Unhealthy, down.Status);
        Assert.Equal("safe_mode_disconnected", down.Entries["degradation"].Data["mode"]);
        Assert.Equal("tripped", down.Entries["degradation"].Data["component.broker"]);
        Assert.Contains("broker: broker.disconnect → safe_mode_disconnected", down.Entries["degradation"].Description, StringComparison.Ordinal);

        system.StateMachine.ForceMode(SystemMode.Halt, TimeSpan.FromMinutes(1), "alice", "drill");
        Assert.Equal(HealthStatus.Unhealthy, (await health.CheckHealthAsync()).Status);
        await host.StopAsync();
    }

    [Fact]
    public async Task Audit_stores_registered_with_the_builder_receive_every_transition()
    {
        var time = new FakeTimeProvider(FakeTimeProviderExtensions.TestStart);
        var builder = TestHosts.Builder(time: time);
        builder.Services.AddGracefulDegradation(o => o.Recovery.StablePeriod = TimeSpan.FromSeconds(1)).AddAuditStore<RecordingAuditStore>();
        using var host = builder.Build();
        await host.StartAsync();
        var system = host.Services.GetRequiredService<DegradationSystem>();
        await TestHosts.BringToNormalAsync(system, time);
        system.StateMachine.ForceMode(SystemMode.SafeMode, TimeSpan.FromMinutes(1), "alice", "drill");
        system.StateMachine.ReleaseOverride("bob", "done");
        // The release starts a recovery run that the hosted orchestrator walks on its own thread: compare only once it
        // has stopped producing transitions (Ready; Normal needs the clock), and every transition has been delivered.
        await TestHosts.UntilAsync(system, () => system.Gate.Stage == RecoveryStage.Ready, "the post-release run reaching Ready");
        await system.StateMachine.FlushObserversAsync();
        var store = (RecordingAuditStore)host.Services.GetServices<IAuditStore>().Single();
        var all = system.StateMachine.GetHistory();
        // The store attached at host start still receives the cold-start transition #1 (history backlog).
        Assert.Equal(all.Select(t => t.Sequence), store.Snapshot().Select(t => t.Sequence));
        Assert.Equal(ReasonCode.ColdStart, store.Transitions[0].Reason);
        Assert.Contains(store.Transitions, t => t.Kind == TransitionKind.OverrideStarted && t.OperatorId == "alice");
        Assert.Contains(store.Transitions, t => t.Kind == TransitionKind.OverrideEnded && t.OperatorId == "bob");
    }

    private sealed class RecordingAuditStore : IAuditStore
    {
        public List<ModeTransition> Transitions { get; } = [];

        public ValueTask AppendAsync(ModeTransition transition, CancellationToken cancellationToken)
        {
            lock (Transitions) Transitions.Add(transition);
            return ValueTask.CompletedTask;
        }

        public List<ModeTransition> Snapshot() { lock (Transitions) return [.. Transitions]; }
    }
}
