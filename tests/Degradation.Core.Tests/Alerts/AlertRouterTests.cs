using Microsoft.Extensions.Time.Testing;
using Degradation.Testing;

namespace Degradation.Tests.Alerts;

public class AlertRouterTests
{
    private static readonly TimeSpan Guard = TimeSpan.FromSeconds(60); // hang guard only, never a timing assertion
    private readonly FakeTimeProvider _time = new(FakeTimeProviderExtensions.TestStart);

    private Alert Make(Severity severity, string audience, string title) =>
        new() { Severity = severity, Audience = audience, Title = title, Time = _time.GetUtcNow() };

    [Fact]
    public async Task Alerts_are_routed_by_audience_and_minimum_severity()
    {
        var router = new AlertRouter(timeProvider: _time);
        var operators = new RecordingSink();
        var risk = new RecordingSink();
        var pager = new RecordingSink();
        router.AddRoute(operators, AlertAudiences.Operators);
        router.AddRoute(risk, AlertAudiences.Risk, Severity.Warning);
        router.AddRoute(pager, null, Severity.Critical, "pager");

        router.Publish(Make(Severity.Info, "operators", "info for ops"));
        router.Publish(Make(Severity.Warning, "RISK", "warning for risk"));
        router.Publish(Make(Severity.Info, "risk", "info for risk"));
        router.Publish(Make(Severity.Critical, "operators", "critical for ops"));
        router.Publish(Severity.Critical, "risk", "critical for risk", "details", ComponentId.Risk, ReasonCode.RiskBreachHard);
        await router.FlushAsync();

        Assert.Equal(["info for ops", "critical for ops"], operators.Titles);
        Assert.Equal(["warning for risk", "critical for risk"], risk.Titles);
        Assert.Equal(["critical for ops", "critical for risk"], pager.Titles);
        Assert.Equal(1, router.UnroutedCount);
        Assert.Equal(6, router.DeliveredCount);
        Assert.Equal(_time.GetUtcNow(), risk.Alerts[1].Time);
    }

    [Fact]
    public async Task A_removed_route_receives_nothing_more()
    {
        var router = new AlertRouter(timeProvider: _time);
        var sink = new RecordingSink();
        var route = router.AddRoute(sink);
        router.Publish(Make(Severity.Info, "x", "one"));
        await router.FlushAsync();
        route.Dispose();
        router.Publish(Make(Severity.Info, "x", "two"));
        await router.FlushAsync();
        Assert.Equal(["one"], sink.Titles);
        Assert.Empty(router.GetRoutes());
    }

    [Fact]
    public async Task Publish_never_blocks_a_full_queue_drops_and_counts()
    {
        var router = new AlertRouter(new AlertRouterOptions { Capacity = 4 }, _time);
        var hanging = new HangingSink();
        router.AddRoute(hanging, name: "slow");
        router.Start();
        Assert.True(router.Publish(Make(Severity.Warning, "ops", "first")));
        await hanging.Called.Task.WaitAsync(Guard); // the loop is now stuck delivering "first"

        var accepted = await Task.Run(() => Enumerable.Range(0, 10).Count(i => router.Publish(Make(Severity.Warning, "ops", $"alert {i}")))).WaitAsync(Guard);
        Assert.Equal(4, accepted);
        Assert.Equal(6, router.DroppedCount);
        Assert.Equal(4, router.PendingCount);

        _time.Advance(TimeSpan.FromSeconds(5)); // the stuck delivery times out
        await router.FlushAsync().WaitAsync(Guard);
        var route = Assert.Single(router.GetRoutes());
        Assert.True(route.IsDown);
        Assert.Contains("timed out", route.LastError);
        Assert.Equal(4, route.Skipped); // a down sink is not retried before DownRetry
        Assert.Equal(1, hanging.Calls);
        await router.DisposeAsync();
    }

    [Fact]
    public async Task A_failing_sink_reports_channel_down_once_through_the_bus_and_the_other_sinks_only()
    {
        await using var system = DegradationSystem.Create(new DegradationOptions(), _time);
        var busEvents = new List<SystemEvent>();
        system.Bus.Subscribe(busEvents.Add);
        var router = new AlertRouter(timeProvider: _time, bus: system.Bus);
        var broken = new RecordingSink { Failing = true };
        var chat = new RecordingSink();
        router.AddRoute(broken, name: "pager");
        router.AddRoute(chat, name: "chat");

        router.Publish(Make(Severity.Warning, "operators", "risk limit near"));
        await router.FlushAsync();
        system.Bus.ProcessPending();

        Assert.Equal(1, broken.Attempts); // the channel-down alert never went back to the failing sink
        Assert.Equal(["Alert channel 'pager' is down", "risk limit near"], chat.Titles);
        Assert.Equal(AlertAudiences.Operators, chat.Alerts[0].Audience);
        var down = Assert.Single(busEvents);
        Assert.Equal((EventType.FailSupport, ComponentId.Alerts, ReasonCode.AlertsChannelDown), (down.Type, down.Component, down.Reason));
        Assert.Equal(SystemMode.Degraded, Assert.Single(system.StateMachine.GetComponent(ComponentId.Alerts)!.Conditions).Mode);

        // Still down, inside the retry interval: skipped, no new report.
        router.Publish(Make(Severity.Warning, "operators", "second"));
        await router.FlushAsync();
        Assert.Equal(1, broken.Attempts);
        Assert.Equal(1, router.GetRoutes()[0].Skipped);

        // Retried after the interval, still failing: still one report, no second channel-down alert.
        _time.Advance(TimeSpan.FromSeconds(30));
        router.Publish(Make(Severity.Warning, "operators", "third"));
        await router.FlushAsync();
        system.Bus.ProcessPending();
        Assert.Equal(2, broken.Attempts);
        Assert.Single(busEvents);
        Assert.Single(chat.Titles, t => t.Contains("is down"));

        // Healthy again: the next retry succeeds and the router reports the recovery.
        broken.Failing = false;
        _time.Advance(TimeSpan.FromSeconds(30));
        router.Publish(Make(Severity.Warning, "operators", "fourth"));
        await router.FlushAsync();
        system.Bus.ProcessPending();
        Assert.Equal(["fourth"], broken.Titles);
        Assert.False(router.GetRoutes()[0].IsDown);
        Assert.Equal(EventType.Recovered, busEvents[^1].Type);
        Assert.Empty(system.StateMachine.GetComponent(ComponentId.Alerts)!.Conditions);
    }

    [Fact]
    public async Task Transition_alerts_through_a_failing_sink_do_not_feed_back()
    {
        await using var system = NormalSystem();
        var router = new AlertRouter(timeProvider: _time, bus: system.Bus);
        var broken = new RecordingSink { Failing = true };
        var chat = new RecordingSink();
        router.AddRoute(broken, name: "pager");
        router.AddRoute(chat, name: "chat");
        var transitionAlerted = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        system.StateMachine.SubscribeTransitions(t =>
        {
            router.Publish(new Alert { Severity = Severity.Warning, Audience = "operators", Title = $"mode {t.To}", Time = t.WallTime });
            transitionAlerted.TrySetResult();
        });
        router.Start();

        router.Publish(Make(Severity.Warning, "operators", "first"));
        for (var round = 0; round < 5; round++)
        {
            await router.FlushAsync().WaitAsync(Guard);
            system.Bus.ProcessPending(); // alerts.channel_down -> Degraded -> a transition alert -> the router
            if (round == 0) await transitionAlerted.Task.WaitAsync(Guard);
        }

        Assert.Equal(SystemMode.Degraded, system.Gate.Mode);
        Assert.Equal(1, broken.Attempts);
        Assert.Equal(1, router.GetRoutes()[0].Skipped); // the transition alert was not sent to the down sink
        Assert.Contains("mode Degraded", chat.Titles);
        Assert.Equal(1, system.Bus.ProcessedCount - 3); // exactly one bus event after the 3 heartbeats
        await router.DisposeAsync();
    }

    [Fact]
    public async Task Removing_the_only_down_sink_reports_the_alerts_component_recovered()
    {
        await using var system = DegradationSystem.Create(new DegradationOptions(), _time);
        var router = new AlertRouter(timeProvider: _time, bus: system.Bus);
        var route = router.AddRoute(new RecordingSink { Failing = true }, name: "pager");
        router.Publish(Make(Severity.Warning, "operators", "x"));
        await router.FlushAsync();
        route.Dispose();
        system.Bus.ProcessPending();
        Assert.Empty(system.StateMachine.GetComponent(ComponentId.Alerts)!.Conditions);
        await router.DisposeAsync();
        await router.DisposeAsync(); // idempotent
    }

    [Fact]
    public async Task Stop_delivers_what_is_queued_then_refuses_new_alerts()
    {
        var router = new AlertRouter(timeProvider: _time);
        var sink = new RecordingSink();
        router.AddRoute(sink);
        router.Publish(Make(Severity.Info, "x", "queued"));
        await router.StopAsync();
        Assert.Equal(["queued"], sink.Titles);
        Assert.False(router.Publish(Make(Severity.Info, "x", "late")));
        Assert.Equal(1, router.DroppedCount);
    }

    [Fact]
    public async Task A_sink_that_throws_synchronously_is_handled_like_any_failure()
    {
        var router = new AlertRouter(timeProvider: _time);
        router.AddRoute(new ThrowingSink(), name: "bad");
        var good = new RecordingSink();
        router.AddRoute(good);
        router.Publish(Make(Severity.Info, "x", "hello"));
        await router.FlushAsync();
        Assert.True(router.GetRoutes()[0].IsDown);
        Assert.Contains("hello", good.Titles);
        Assert.Equal(1, router.FailureCount);
    }

    [Fact]
    public void Bad_options_and_routes_are_rejected_with_names()
    {
        var ex = Assert.Throws<DegradationOptionsException>(() => new AlertRouter(new AlertRouterOptions { Capacity = 0, SinkTimeout = TimeSpan.FromSeconds(-1), ChannelDownAudience = "" }));
        Assert.Contains(ex.Failures, f => f.Contains("Capacity must be > 0 (was 0)"));
        Assert.Contains(ex.Failures, f => f.Contains("SinkTimeout") && f.Contains("-00:00:01"));
        Assert.Contains(ex.Failures, f => f.Contains("ChannelDownAudience"));
        var router = new AlertRouter();
        Assert.Equal("audience", Assert.Throws<ArgumentException>(() => router.AddRoute(new RecordingSink(), " ")).ParamName);
        Assert.Throws<ArgumentNullException>(() => router.AddRoute(null!));
    }

    private DegradationSystem NormalSystem() => NormalSystems.Create(_time);

    private sealed class ThrowingSink : IAlertSink
    {
        public ValueTask SendAsync(Alert alert, CancellationToken cancellationToken) => throw new InvalidOperationException("misconfigured");
    }
}
