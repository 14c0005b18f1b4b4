using Microsoft.Extensions.Time.Testing;
using Microsoft.Extensions.Configuration;
using Degradation.Hosting;
using Degradation.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Degradation.Tests;

/// <summary>The fail-closed wiring of the hosting package: live/ready checks, kill-switch actions, durable Halt, loosening warnings.</summary>
public class FailClosedHostingTests
{
    [Fact]
    public async Task The_live_check_stays_healthy_in_Halt_while_the_ready_check_reports_unhealthy()
    {
        var time = new FakeTimeProvider(FakeTimeProviderExtensions.TestStart);
        var builder = TestHosts.Builder(time: time);
        builder.Services.AddGracefulDegradation(o => o.Recovery.StablePeriod = TimeSpan.FromSeconds(1));
        builder.Services.AddHealthChecks().AddDegradationChecks();
        using var host = builder.Build();
        await host.StartAsync();
        var system = host.Services.GetRequiredService<DegradationSystem>();
        var health = host.Services.GetRequiredService<HealthCheckService>();

        system.StateMachine.Halt("alice", "kill switch drill");
        var live = await health.CheckHealthAsync(r => r.Tags.Contains(DegradationHealthChecksBuilderExtensions.LiveTag));
        var ready = await health.CheckHealthAsync(r => r.Tags.Contains(DegradationHealthChecksBuilderExtensions.ReadyTag));
        Assert.Equal(HealthStatus.Healthy, live.Status);
        Assert.Equal("halt", live.Entries["degradation-live"].Data["mode"]);
        Assert.Equal(HealthStatus.Unhealthy, ready.Status);
        Assert.Single(ready.Entries); // each check carries exactly one of the two tags

        await host.StopAsync();
        Assert.Equal(HealthStatus.Unhealthy, (await health.CheckHealthAsync(r => r.Tags.Contains("live"))).Status); // stopped: not working
    }

    [Fact]
    public async Task A_kill_switch_action_added_on_the_builder_runs_on_Halt_and_its_outcome_is_logged()
    {
        var logs = new CapturingLoggerProvider();
        var builder = TestHosts.Builder(logs: logs);
        builder.Services.AddSingleton<MassCancelLog>();
        builder.Services.AddGracefulDegradation().AddKillSwitchAction<RecordingMassCancel>();
        using var host = builder.Build();
        await host.StartAsync();
        var system = host.Services.GetRequiredService<DegradationSystem>();

        system.StateMachine.Halt("alice", "runaway algo");
        var log = host.Services.GetRequiredService<MassCancelLog>();
        Assert.Equal("alice", await log.Called.Task.WaitAsync(TimeSpan.FromSeconds(30)));
        await system.StateMachine.FlushObserversAsync();
        var outcome = Assert.Single(system.KillSwitchOutcomes);
        Assert.Equal(("mass-cancel", KillSwitchActionStatus.Succeeded), (outcome.Name, outcome.Status));
        Assert.Contains(logs.Entries, e => e.Id.Id == 1025 && e.Message.Contains("mass-cancel"));
        Assert.Contains(logs.Entries, e => e.Id.Id == 1024 && e.Level == LogLevel.Critical);
        await host.StopAsync();
    }

    [Fact]
    public async Task A_Halt_survives_a_host_restart_through_the_file_operator_state()
    {
        var directory = Path.Combine(Path.GetTempPath(), "dg-opstate-" + Guid.NewGuid().ToString("N"));
        try
        {
            using (var first = Build(directory))
            {
                await first.StartAsync();
                var system = first.Services.GetRequiredService<DegradationSystem>();
                Assert.True(system.StateMachine.Halt("alice", "incident").Durable);
                await first.StopAsync();
            }
            using var second = Build(directory);
            var restarted = second.Services.GetRequiredService<DegradationSystem>();
            Assert.Equal(SystemMode.Halt, restarted.Gate.Mode); // before the host even starts
            Assert.False(restarted.Gate.Allows(ActionType.Send));
            Assert.Equal("alice", restarted.StateMachine.OperatorHalt!.OperatorId);
        }
        finally
        {
            try { Directory.Delete(directory, recursive: true); } catch (IOException) { }
        }

        static IHost Build(string directory)
        {
            var builder = TestHosts.Builder();
            builder.Services.AddGracefulDegradation().UseFileOperatorState(directory);
            return builder.Build();
        }
    }

    [Fact]
    public async Task A_deliberately_loosened_reason_is_logged_at_Warning_on_every_start()
    {
        var logs = new CapturingLoggerProvider();
        var builder = TestHosts.Builder("""{"Degradation":{"DecisionMatrix":{"broker.disconnect":"SafeMode"},"AllowLoosening":["broker.disconnect"]}}""", logs: logs);
        builder.Services.AddGracefulDegradation(builder.Configuration.GetSection("Degradation"));
        using var host = builder.Build();
        await host.StartAsync();
        var warning = Assert.Single(logs.Entries, e => e.Id.Id == 1023);
        Assert.Equal(LogLevel.Warning, warning.Level);
        Assert.Contains("broker.disconnect: safe_mode_disconnected -> safe_mode", warning.Message);
        await host.StopAsync();
    }

    internal sealed class MassCancelLog
    {
        public TaskCompletionSource<string?> Called { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }

    internal sealed class RecordingMassCancel(MassCancelLog log) : IKillSwitchAction
    {
        public string Name => "mass-cancel";

        public Task ExecuteAsync(KillSwitchContext context, CancellationToken cancellationToken)
        {
            log.Called.TrySetResult(context.OperatorId);
            return Task.CompletedTask;
        }
    }
}
