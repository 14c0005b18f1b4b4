using System.Text;
using Degradation.Hosting;
using Degradation.Storage.File;
using Degradation.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Degradation.Tests;

public class WiringTests
{
    public sealed class SwitchableBrokerProbe : IProbe
    {
        public volatile bool Down;
        public ComponentId Component => ComponentId.Broker;
        public ValueTask<ProbeResult> ProbeAsync(CancellationToken cancellationToken) =>
            ValueTask.FromResult(Down ? ProbeResult.Unhealthy(ReasonCode.BrokerDisconnect, "simulated outage") : ProbeResult.Healthy());
    }

    public sealed class MarketDataProbe() : IProbe
    {
        public ComponentId Component => ComponentId.MarketData;
        public ValueTask<ProbeResult> ProbeAsync(CancellationToken cancellationToken) => ValueTask.FromResult(ProbeResult.Healthy());
    }

    public sealed class RiskProbe() : IProbe
    {
        public ComponentId Component => ComponentId.Risk;
        public ValueTask<ProbeResult> ProbeAsync(CancellationToken cancellationToken) => ValueTask.FromResult(ProbeResult.Healthy());
    }

    public sealed class StageRecorder
    {
        public List<RecoveryStage> Stages { get; } = [];
    }

    public sealed class RecordingStep(StageRecorder recorder) : IRecoveryStep
    {
        public string Name => "record";
        public ValueTask<RecoveryStepResult> ExecuteAsync(RecoveryStepContext context, CancellationToken cancellationToken)
        {
            lock (recorder.Stages) recorder.Stages.Add(context.Stage);
            return ValueTask.FromResult(RecoveryStepResult.Success());
        }
    }

    public sealed class RecordingTarget : IBufferedWriteTarget
    {
        public List<string> Written { get; } = [];
        public ValueTask WriteAsync(WalEntry entry, CancellationToken cancellationToken)
        {
            lock (Written) Written.Add(entry.Record.IdempotentKey);
            return ValueTask.CompletedTask;
        }
        public ValueTask<bool> IsAppliedAsync(WalEntry entry, CancellationToken cancellationToken)
        {
            lock (Written) return ValueTask.FromResult(Written.Contains(entry.Record.IdempotentKey));
        }
    }

    public sealed class RecordingSink : IAlertSink
    {
        public List<Alert> Alerts { get; } = [];
        public ValueTask SendAsync(Alert alert, CancellationToken cancellationToken)
        {
            lock (Alerts) Alerts.Add(alert);
            return ValueTask.CompletedTask;
        }
    }

    /// <summary>
    /// Advances the clock a step at a time until <paramref name="condition"/> holds. After each step the events it
    /// caused (probe results published on the timer's thread) are applied and their transitions delivered before the
    /// condition is checked, so <paramref name="maxSteps"/> bounds clock time, never the machine's speed.
    /// </summary>
    private static async Task WaitUntil(DegradationSystem system, Func<bool> condition, ManualTimeProvider time, TimeSpan step, int maxSteps = 400)
    {
        for (var i = 0; i < maxSteps && !condition(); i++)
        {
            time.Advance(step);
            await system.Bus.DrainAsync().WaitAsync(TestHosts.HangGuard);
            await system.StateMachine.FlushObserversAsync().WaitAsync(TestHosts.HangGuard);
            await Task.Yield();
            await Task.Delay(1, CancellationToken.None);
        }
        Assert.True(condition(), "condition not reached");
    }

    private static IHost BuildHost(ManualTimeProvider time, Action<GracefulDegradationBuilder>? configure = null, Action<DegradationOptions>? options = null)
    {
        var builder = TestHosts.Builder(time: time);
        builder.Services.AddSingleton<StageRecorder>();
        var degradation = builder.Services.AddGracefulDegradation(o =>
            {
                o.RecoveryStableSeconds = 2;
                o.MinSafeModeSeconds = 5;
                options?.Invoke(o);
            })
            .AddProbe<SwitchableBrokerProbe>(ComponentId.Broker, critical: true)
            .AddProbe<MarketDataProbe>(ComponentId.MarketData, critical: true)
            .AddProbe<RiskProbe>(ComponentId.Risk, critical: true)
            .AddRecoveryStep<RecordingStep>(RecoveryStage.ConnectBroker);
        configure?.Invoke(degradation);
        return builder.Build();
    }

    [Fact]
    public async Task Probes_and_recovery_steps_bring_the_host_to_Normal_then_a_failing_probe_closes_the_gate()
    {
        var time = new ManualTimeProvider();
        using var host = BuildHost(time);
        await host.StartAsync();
        var system = host.Services.GetRequiredService<DegradationSystem>();
        var gate = host.Services.GetRequiredService<ITradingGate>();

        await WaitUntil(system, () => gate.Mode == SystemMode.Normal, time, TimeSpan.FromMilliseconds(250));
        Assert.Contains(RecoveryStage.ConnectBroker, host.Services.GetRequiredService<StageRecorder>().Stages);

        host.Services.GetRequiredService<SwitchableBrokerProbe>().Down = true;
        // Detection bound: FailThresholdCount (3) x probe interval (1 s), plus one interval of phase.
        await WaitUntil(system, () => gate.Mode == SystemMode.SafeModeDisconnected, time, TimeSpan.FromMilliseconds(250), maxSteps: 16);
        Assert.False(gate.Allows(ActionType.Send));

        host.Services.GetRequiredService<SwitchableBrokerProbe>().Down = false;
        await WaitUntil(system, () => gate.Mode == SystemMode.Normal, time, TimeSpan.FromMilliseconds(250));
        Assert.Contains(system.StateMachine.GetHistory(), t => t.From == SystemMode.SafeModeDisconnected && t.To == SystemMode.Recovering);
        await host.StopAsync();
    }

    [Fact]
    public void A_probe_registered_for_the_wrong_component_fails_the_start_naming_both()
    {
        var time = new ManualTimeProvider();
        var builder = TestHosts.Builder(time: time);
        builder.Services.AddGracefulDegradation().AddProbe<MarketDataProbe>(ComponentId.Risk, critical: true);
        using var host = builder.Build();
        var error = Assert.ThrowsAny<Exception>(() => host.StartAsync().GetAwaiter().GetResult());
        Assert.Contains("market_data", error.Message);
        Assert.Contains("risk", error.Message);
        var gate = host.Services.GetRequiredService<ITradingGate>(); // failed closed, and says why
        Assert.False(gate.Allows(ActionType.Send));
        Assert.Equal(SystemMode.SafeMode, gate.Mode);
        Assert.Contains(host.Services.GetRequiredService<DegradationStateMachine>().GetConditions(), c => c.Reason == RuntimeReasons.StartFailed);
    }

    [Fact]
    public void Configure_reaches_the_core_builder_with_the_container_in_registration_order()
    {
        var builder = TestHosts.Builder(time: new ManualTimeProvider());
        builder.Services.AddSingleton(new ScopeOptions());
        builder.Services.AddGracefulDegradation()
            .Configure(b => b.AddScope("venue-a/acct-1"))
            .Configure((b, services) => b.AddScope("venue-b", services.GetRequiredService<ScopeOptions>()));
        using var host = builder.Build();
        var system = host.Services.GetRequiredService<DegradationSystem>();
        Assert.True(system.Scopes.TryResolve("venue-a/acct-1", out _));
        Assert.True(system.Scopes.TryResolve("venue-b", out _));
    }

    [Fact]
    public async Task Graceful_shutdown_flushes_the_file_wal_so_buffered_writes_survive_a_restart()
    {
        var time = new ManualTimeProvider();
        var directory = Directory.CreateTempSubdirectory("degradation-hosting-wal-").FullName;
        try
        {
            using (var host = BuildHost(time, b => b.UseFileWal(directory).AddWriteBuffer<RecordingTarget>(replayStage: null)))
            {
                await host.StartAsync();
                var buffer = host.Services.GetRequiredService<WriteBuffer>();
                var pending = Enumerable.Range(0, 50).Select(i => buffer.EnqueueAsync($"order-{i}", "order", $"o-{i}", Encoding.UTF8.GetBytes($"{{\"i\":{i}}}")).AsTask()).ToList();
                await Task.WhenAll(pending);
                Assert.Equal(50, buffer.Count);
                await host.StopAsync();
            }
            await using var reopened = await FileWalStore.OpenAsync(new FileWalStoreOptions { DirectoryPath = directory });
            var keys = new List<string>();
            await foreach (var entry in reopened.ReadAsync()) keys.Add(entry.Record.IdempotentKey);
            Assert.Equal(Enumerable.Range(0, 50).Select(i => $"order-{i}"), keys);
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    [Fact]
    public async Task Without_a_chosen_store_the_write_buffer_uses_the_file_wal_in_the_default_directory_never_memory()
    {
        var time = new ManualTimeProvider();
        var logs = new CapturingLoggerProvider();
        var builder = TestHosts.Builder(time: time, logs: logs);
        builder.Environment.ApplicationName = "dg-default-wal-" + Guid.NewGuid().ToString("N");
        builder.Services.AddGracefulDegradation().AddWriteBuffer<RecordingTarget>(replayStage: null);
        var expected = GracefulDegradationBuilder.DefaultWalDirectory(builder.Environment.ApplicationName);
        try
        {
            using (var host = builder.Build())
            {
                await host.StartAsync();
                var store = Assert.IsType<FileWalStore>(host.Services.GetRequiredService<IWalStore>());
                Assert.Equal(Path.GetFullPath(expected), store.DirectoryPath);
                await host.Services.GetRequiredService<WriteBuffer>().EnqueueAsync("k-1", "order", "o-1", Encoding.UTF8.GetBytes("{}"));
                await host.StopAsync();
            }
            var log = Assert.Single(logs.Entries, e => e.Id.Id == 1031);
            Assert.Equal(LogLevel.Information, log.Level);
            Assert.Contains(Path.GetFullPath(expected), log.Message);
            Assert.DoesNotContain(logs.Entries, e => e.Id.Id == 1030);
            await using var reopened = await FileWalStore.OpenAsync(new FileWalStoreOptions { DirectoryPath = expected });
            Assert.Equal(1, (await reopened.GetStatsAsync()).Entries); // durable: it survived the host
        }
        finally
        {
            Directory.Delete(Path.GetDirectoryName(expected)!, recursive: true);
        }
    }

    [Fact]
    public async Task The_in_memory_wal_is_used_only_when_chosen_and_then_logged_at_warning_on_start()
    {
        var time = new ManualTimeProvider();
        var logs = new CapturingLoggerProvider();
        var builder = TestHosts.Builder(time: time, logs: logs);
        builder.Services.AddGracefulDegradation().UseInMemoryWal().AddWriteBuffer<RecordingTarget>(replayStage: null);
        using var host = builder.Build();
        await host.StartAsync();
        Assert.IsType<InMemoryWalStore>(host.Services.GetRequiredService<IWalStore>());
        var warning = Assert.Single(logs.Entries, e => e.Id.Id == 1030);
        Assert.Equal(LogLevel.Warning, warning.Level);
        Assert.Contains("lost", warning.Message);
        await host.StopAsync();
    }

    [Fact]
    public async Task A_later_store_choice_replaces_the_default_and_the_in_memory_choice()
    {
        var directory = Path.Combine(Path.GetTempPath(), "dg-chosen-" + Guid.NewGuid().ToString("N"));
        var logs = new CapturingLoggerProvider();
        var builder = TestHosts.Builder(time: new ManualTimeProvider(), logs: logs);
        builder.Services.AddGracefulDegradation().AddWriteBuffer<RecordingTarget>(replayStage: null).UseInMemoryWal().UseFileWal(directory);
        try
        {
            using (var host = builder.Build())
            {
                await host.StartAsync();
                var store = Assert.IsType<FileWalStore>(host.Services.GetRequiredService<IWalStore>());
                Assert.Equal(Path.GetFullPath(directory), store.DirectoryPath);
                await host.StopAsync();
            }
            Assert.DoesNotContain(logs.Entries, e => e.Id.Id is 1030 or 1031); // neither the in-memory warning nor the default
        }
        finally
        {
            if (Directory.Exists(directory)) Directory.Delete(directory, recursive: true);
        }
    }

    [Fact]
    public void The_write_buffer_cannot_be_resolved_before_the_host_opened_it_and_the_error_says_when()
    {
        var builder = TestHosts.Builder(time: new ManualTimeProvider());
        builder.Services.AddGracefulDegradation().UseInMemoryWal().AddWriteBuffer<RecordingTarget>(replayStage: null);
        using var host = builder.Build();
        Assert.NotNull(host.Services.GetRequiredService<ITradingGate>()); // the gate is there at once
        var error = Assert.Throws<InvalidOperationException>(() => host.Services.GetRequiredService<WriteBuffer>());
        Assert.Contains("IHost.StartAsync", error.Message);
    }

    [Fact]
    public async Task The_write_buffer_replays_as_a_recovery_step_and_reports_its_depth()
    {
        var time = new ManualTimeProvider();
        using var host = BuildHost(time, b => b.UseInMemoryWal().AddWriteBuffer<RecordingTarget>(RecoveryStage.CatchupMarketData));
        await host.StartAsync();
        var system = host.Services.GetRequiredService<DegradationSystem>();
        var buffer = host.Services.GetRequiredService<WriteBuffer>();
        await WaitUntil(system, () => system.Gate.Mode == SystemMode.Normal, time, TimeSpan.FromMilliseconds(250));
        await buffer.EnqueueAsync("fill-1", "fill", "f-1", Encoding.UTF8.GetBytes("{}"));
        await buffer.EnqueueAsync("fill-2", "fill", "f-2", Encoding.UTF8.GetBytes("{}"));
        await WaitUntil(system, () => system.Gate.Mode == SystemMode.Degraded, time, TimeSpan.FromMilliseconds(50));

        system.StateMachine.StartRecovery("alice", "database is back");
        var target = host.Services.GetRequiredService<RecordingTarget>();
        await WaitUntil(system, () => target.Written.Count == 2, time, TimeSpan.FromMilliseconds(250));
        Assert.Equal(["fill-1", "fill-2"], target.Written);
        Assert.Equal(0, buffer.Count);
        await host.StopAsync();
    }

    [Fact]
    public async Task Alert_sinks_receive_escalations_routed_off_the_hot_path()
    {
        var time = new ManualTimeProvider();
        using var host = BuildHost(time, b => b.AddAlertSink<RecordingSink>());
        await host.StartAsync();
        var system = host.Services.GetRequiredService<DegradationSystem>();
        await WaitUntil(system, () => system.Gate.Mode == SystemMode.Normal, time, TimeSpan.FromMilliseconds(250));
        system.ReportFailure(ComponentId.Broker, ReasonCode.BrokerDisconnect);
        await system.StateMachine.FlushObserversAsync();
        await host.Services.GetRequiredService<AlertRouter>().FlushAsync();
        var sink = (RecordingSink)host.Services.GetServices<IAlertSink>().Single();
        lock (sink.Alerts)
            Assert.Contains(sink.Alerts, a => a.Severity == Severity.Critical && a.Title.Contains("safe_mode_disconnected") && a.Reason == ReasonCode.BrokerDisconnect);
        await host.StopAsync();
    }
}

public class ProbeRegistrationDefaultsTests
{
    [Fact]
    public async Task AddProbe_for_a_well_known_component_keeps_its_seed_timeout_reason()
    {
        var builder = TestHosts.Builder();
        builder.Services.AddGracefulDegradation()
            .AddProbe<WiringTests.SwitchableBrokerProbe>(ComponentId.Broker, critical: true)
            .AddProbe<WiringTests.RiskProbe>(ComponentId.Risk, critical: false);
        using var host = builder.Build();
        var policy = host.Services.GetRequiredService<DegradationPolicy>();
        Assert.Equal("broker.disconnect", policy.GetComponent(ComponentId.Broker)!.TimeoutReason);
        Assert.Equal("risk.timeout", policy.GetComponent(ComponentId.Risk)!.TimeoutReason);
        Assert.False(policy.GetComponent(ComponentId.Risk)!.Critical);
        await Task.CompletedTask;
    }

    [Fact]
    public void Configuring_a_well_known_component_keeps_the_defaults_it_does_not_set()
    {
        var options = new DegradationOptions();
        options.Components["market_data"] = new ComponentOptions { Critical = true, StatusTtlSeconds = 5 };
        var policy = new DegradationPolicy(options);
        Assert.Equal("market_data.stale", policy.GetComponent(ComponentId.MarketData)!.TimeoutReason);
        Assert.Equal("market data", policy.GetComponent(ComponentId.MarketData)!.Category);
        Assert.Equal(5, policy.GetComponent(ComponentId.MarketData)!.StatusTtlSeconds);
    }
}

public class ReplayStepTests
{
    private sealed class DownTarget : IBufferedWriteTarget
    {
        public ValueTask WriteAsync(WalEntry entry, CancellationToken cancellationToken) => throw new IOException("database still down");
        public ValueTask<bool> IsAppliedAsync(WalEntry entry, CancellationToken cancellationToken) => ValueTask.FromResult(false);
    }

    [Fact]
    public async Task A_database_still_down_defers_replay_instead_of_failing_recovery()
    {
        var time = new Degradation.Testing.ManualTimeProvider();
        await using var system = DegradationSystem.Create(new DegradationOptions(), time);
        await using var buffer = await WriteBuffer.OpenAsync(system, new InMemoryWalStore(), new DownTarget());
        await buffer.EnqueueAsync("k-1", "order", "o-1", System.Text.Encoding.UTF8.GetBytes("{}"));
        var step = new WriteBufferReplayStep(buffer);
        var context = new RecoveryStepContext(new RecoveryRunId(1), RecoveryTrigger.Auto, RecoveryStage.CatchupMarketData, 1, time);
        var result = await step.ExecuteAsync(context, CancellationToken.None);
        Assert.Equal(RecoveryStepStatus.Succeeded, result.Status);
        Assert.Contains("deferred", result.Details);
        Assert.Equal(1, buffer.Count);
    }
}

public class GateDenialMetricTests
{
    [Fact]
    public async Task Gate_denials_are_counted_per_mode_and_action_only_when_enabled()
    {
        var time = new Degradation.Testing.ManualTimeProvider();
        await using var counting = DegradationSystem.Create(new DegradationOptions { CountGateDenials = true }, time);
        Assert.False(counting.Gate.Allows(ActionType.Send));
        Assert.False(counting.Gate.Check(ActionType.Send).Allowed);
        Assert.False(counting.Gate.Allows(ActionType.Open));
        Assert.True(counting.Gate.Allows(ActionType.Query));
        Assert.Equal(2, counting.Gate.GetDenials(SystemMode.Recovering, ActionType.Send));
        Assert.Equal(1, counting.Gate.GetDenials(SystemMode.Recovering, ActionType.Open));
        Assert.Equal(0, counting.Gate.GetDenials(SystemMode.Recovering, ActionType.Query));

        await using var quiet = DegradationSystem.Create(new DegradationOptions(), time);
        Assert.False(quiet.Gate.Allows(ActionType.Send));
        Assert.Equal(0, quiet.Gate.GetDenials(SystemMode.Recovering, ActionType.Send));

        using var metrics = new Degradation.Hosting.DegradationMetrics(counting);
        var seen = new List<(long Value, string? Mode, string? Action)>();
        using var listener = new System.Diagnostics.Metrics.MeterListener();
        listener.InstrumentPublished = (i, l) => { if (i.Meter == metrics.Meter && i.Name == "degradation.gate.denials") l.EnableMeasurementEvents(i); };
        listener.SetMeasurementEventCallback<long>((i, v, tags, _) =>
        {
            var d = new Dictionary<string, object?>(tags.ToArray());
            seen.Add((v, (string?)d["degradation.mode"], (string?)d["degradation.action"]));
        });
        listener.Start();
        listener.RecordObservableInstruments();
        Assert.Contains((2L, "recovering", "send"), seen);
        Assert.Contains((1L, "recovering", "open"), seen);
    }
}
