using Microsoft.Extensions.Time.Testing;
using System.Text.Json;
using Degradation.Hosting;
using Degradation.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Degradation.Tests;

/// <summary>Alerts:OnUnstable and the durable dropped-event file.</summary>
public sealed class AlertAndDropFileHostingTests : IDisposable
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "degradation-drops-" + Guid.NewGuid().ToString("N")[..12]);

    public void Dispose()
    {
        if (Directory.Exists(_directory)) Directory.Delete(_directory, recursive: true);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task A_component_becoming_unstable_alerts_operators_once_when_AlertOnUnstable(bool alertOnUnstable)
    {
        var time = new FakeTimeProvider(FakeTimeProviderExtensions.TestStart);
        var builder = TestHosts.Builder(time: time);
        builder.Services.AddGracefulDegradation(o => { o.Recovery.StablePeriod = TimeSpan.FromSeconds(1); o.Alerts.OnUnstable = alertOnUnstable; })
            .AddAlertSink<WiringTests.RecordingSink>();
        using var host = builder.Build();
        await host.StartAsync();
        var system = host.Services.GetRequiredService<DegradationSystem>();
        await TestHosts.BringToNormalAsync(system, time);

        system.ReportFailure(ComponentId.Db, ReasonCode.DbWriteFailBuffered, "primary refuses writes");
        system.ReportFailure(ComponentId.Db, ReasonCode.DbWriteFailBuffered, "still refusing"); // already unstable: no second alert
        await system.Bus.DrainAsync();
        await system.StateMachine.FlushObserversAsync();
        var router = host.Services.GetRequiredService<AlertRouter>();
        await router.FlushAsync();

        Assert.Equal(ComponentLevel.Unstable, system.StateMachine.GetComponent(ComponentId.Db)!.Level);
        var sink = (WiringTests.RecordingSink)host.Services.GetServices<IAlertSink>().Single();
        List<Alert> unstable;
        lock (sink.Alerts) unstable = [.. sink.Alerts.Where(a => a.Title == "Component db unstable")];
        if (!alertOnUnstable)
        {
            Assert.Empty(unstable);
        }
        else
        {
            var alert = Assert.Single(unstable);
            Assert.Equal(Severity.Warning, alert.Severity);
            Assert.Equal(ReasonCode.DbWriteFailBuffered, alert.Reason);
            Assert.Contains("primary refuses writes", alert.Message);
        }
        await host.StopAsync();
    }

    [Fact]
    public async Task Dropped_events_are_written_to_a_durable_file_and_drops_the_log_no_longer_holds_are_counted()
    {
        var time = new FakeTimeProvider(FakeTimeProviderExtensions.TestStart);
        await using var system = DegradationSystem.Create(timeProvider: time);
        await system.Bus.StopAsync(); // a stopped bus drops every non-critical event
        var path = Path.Combine(_directory, "nested", "dropped.jsonl");
        var file = new DroppedEventFile(path);

        Assert.Equal(0, file.Append(system.Bus.DroppedEvents)); // nothing dropped: no file
        Assert.False(File.Exists(path));
        Assert.False(system.Bus.Publish(EventType.FailSupport, ComponentId.Db, ReasonCode.DbWriteFailBuffered, "first"));
        Assert.Equal(1, file.Append(system.Bus.DroppedEvents));
        for (var i = 0; i < 300; i++) system.Bus.Heartbeat(ComponentId.MarketData, i);

        Assert.Equal(257, file.Append(system.Bus.DroppedEvents)); // one count line + the 256 retained
        var lines = File.ReadAllLines(path).Select(l => JsonDocument.Parse(l).RootElement).ToList();
        Assert.Equal(258, lines.Count);
        Assert.Equal(("dropped", "db", "db.write_fail_buffered", "first"),
            (lines[0].GetProperty("kind").GetString(), lines[0].GetProperty("component").GetString(), lines[0].GetProperty("reason").GetString(), lines[0].GetProperty("details").GetString()));
        Assert.Equal("not_retained", lines[1].GetProperty("kind").GetString());
        Assert.Equal(44, lines[1].GetProperty("count").GetInt64());
        Assert.Equal(0, file.Append(system.Bus.DroppedEvents)); // each drop is written once
        Assert.Equal(301, system.Bus.DroppedCount);
    }

    [Fact]
    public void The_dropped_event_file_must_be_a_file_path()
    {
        Directory.CreateDirectory(_directory);
        var builder = TestHosts.Builder();
        var degradation = builder.Services.AddGracefulDegradation();
        Assert.Throws<ArgumentException>(() => degradation.UseDroppedEventFile(" "));
        var error = Assert.Throws<ArgumentException>(() => degradation.UseDroppedEventFile(_directory));
        Assert.Contains(_directory, error.Message);
    }
}

internal static class BusTestExtensions
{
    public static bool Heartbeat(this EventBus bus, ComponentId component, int i) =>
        bus.Publish(EventType.Heartbeat, component, ReasonCode.ComponentHeartbeat, "beat " + i.ToString(System.Globalization.CultureInfo.InvariantCulture));
}
