using Microsoft.Extensions.Time.Testing;
using Degradation.Hosting;
using Degradation.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Degradation.Tests;

/// <summary>A host that cannot trade says why in its log: critical components without a probe, and never-reported ones.</summary>
public sealed class ModeHoldLoggingTests
{
    [Fact]
    public async Task A_host_without_probes_warns_at_start_and_once_more_per_component_after_the_configured_wait()
    {
        var time = new FakeTimeProvider(FakeTimeProviderExtensions.TestStart);
        var logs = new CapturingLoggerProvider();
        var builder = TestHosts.Builder("""{"Degradation":{"Status":{"NeverReportedWarning":"00:00:30"}}}""", time, logs);
        builder.Services.AddGracefulDegradation(builder.Configuration.GetSection("Degradation"));
        using var host = builder.Build();
        await host.StartAsync();
        try
        {
            var atStart = logs.Entries.Where(e => e.Id.Id == 1040).Select(e => e.Message).ToList();
            Assert.Equal(3, atStart.Count);
            Assert.Contains(atStart, m => m.Contains("Critical component market_data has no probe registered", StringComparison.Ordinal)
                && m.Contains("AddProbe", StringComparison.Ordinal) && m.Contains("Degradation:Components:market_data:Critical=false", StringComparison.Ordinal));
            var system = host.Services.GetRequiredService<DegradationSystem>();
            system.Heartbeat(ComponentId.Broker, TimeSpan.FromHours(1));
            await system.Bus.DrainAsync();

            time.AdvanceInSteps(TimeSpan.FromSeconds(29), TimeSpan.FromSeconds(1));
            Assert.DoesNotContain(logs.Entries, e => e.Id.Id == 1041);

            time.AdvanceInSteps(TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(1));
            var waiting = logs.Entries.Where(e => e.Id.Id == 1041).Select(e => e.Message).ToList();
            Assert.Equal(2, waiting.Count);
            Assert.Contains(waiting, m => m.Contains("critical component market_data, which has never reported", StringComparison.Ordinal));
            Assert.Contains(waiting, m => m.Contains("critical component risk, which has never reported", StringComparison.Ordinal));
            Assert.All(waiting, m => Assert.Contains("the system stays in recovering/", m, StringComparison.Ordinal));
            Assert.All(logs.Entries.Where(e => e.Id.Id is 1040 or 1041), e => Assert.Equal(LogLevel.Warning, e.Level));

            time.AdvanceInSteps(TimeSpan.FromSeconds(60), TimeSpan.FromSeconds(1));
            Assert.Equal(2, logs.Entries.Count(e => e.Id.Id == 1041));
        }
        finally
        {
            await host.StopAsync();
        }
    }

    [Fact]
    public async Task The_start_is_logged_before_any_transition_and_no_state_prints_as_null()
    {
        var time = new FakeTimeProvider(FakeTimeProviderExtensions.TestStart);
        var logs = new CapturingLoggerProvider();
        var builder = TestHosts.Builder(null, time, logs);
        builder.Services.AddGracefulDegradation(o => o.Recovery.StablePeriod = TimeSpan.FromSeconds(5));
        using var host = builder.Build();
        await host.StartAsync();
        var system = host.Services.GetRequiredService<DegradationSystem>();
        await TestHosts.BringToNormalAsync(system, time);
        await system.StateMachine.FlushObserversAsync();
        await host.StopAsync();

        var messages = logs.Entries.Where(e => e.Category.StartsWith("Degradation", StringComparison.Ordinal)).Select(e => e.Message).ToList();
        var started = messages.FindIndex(m => m.StartsWith("Degradation system starting in recovering/connect_broker", StringComparison.Ordinal));
        var firstStage = messages.FindIndex(m => m.StartsWith("Recovery run-", StringComparison.Ordinal));
        Assert.True(started >= 0, string.Join("\n", messages));
        Assert.True(firstStage > started, string.Join("\n", messages));
        Assert.DoesNotContain(messages, m => m.Contains("(null)", StringComparison.Ordinal));
        Assert.Contains(messages, m => m.Contains("recovering/ready -> normal", StringComparison.Ordinal));
    }
}
