using Microsoft.Extensions.Time.Testing;
using Degradation.Testing;
using Degradation.Tests.Scenarios;

namespace Degradation.Tests.Probes;

public class ProbeRunnerTests
{
    private static readonly ComponentId Orderbook = new("orderbook-ws");
    private readonly FakeTimeProvider _time = new(FakeTimeProviderExtensions.TestStart);

    private static ProbeSettings Every(double seconds, double? timeoutSeconds = null) => new()
    {
        Interval = TimeSpan.FromSeconds(seconds),
        Timeout = timeoutSeconds is { } t ? TimeSpan.FromSeconds(t) : null,
    };

    private static List<SystemEvent> Record(DegradationSystem system)
    {
        var events = new List<SystemEvent>();
        system.Bus.Subscribe(e => { lock (events) events.Add(e); });
        return events;
    }

    [Fact]
    public async Task A_probe_that_hangs_forever_is_timed_out_and_the_runner_keeps_probing_the_others()
    {
        await using var system = TestSystems.Create(_time, o => o.Probes.FailThresholdCount = 3);
        var events = Record(system);
        await using var runner = new ProbeRunner(system);
        var hungCalls = 0;
        var healthyCalls = 0;
        var never = new TaskCompletionSource<ProbeResult>();
        runner.Add(ComponentId.Broker, Every(1, timeoutSeconds: 0.5), _ => { Interlocked.Increment(ref hungCalls); return new ValueTask<ProbeResult>(never.Task); });
        runner.Add(ComponentId.Risk, Every(1), _ => { Interlocked.Increment(ref healthyCalls); return ValueTask.FromResult(ProbeResult.Healthy()); });
        var observed = new List<ProbeObservation>();
        runner.Observed += o => { lock (observed) observed.Add(o); };

        runner.Start();
        _time.AdvanceInSteps(TimeSpan.FromSeconds(5), TimeSpan.FromMilliseconds(100));
        system.Bus.ProcessPending();

        Assert.True(healthyCalls >= 5, $"risk was probed {healthyCalls} times");
        Assert.Equal(1, hungCalls); // a hung call is never called again on top of itself
        var broker = observed.Where(o => o.Component == ComponentId.Broker).ToList();
        Assert.True(broker.Count >= 3);
        Assert.All(broker, o => Assert.True(o.TimedOut));
        Assert.All(broker, o => Assert.Equal(ReasonCode.BrokerDisconnect, o.Reason)); // the broker's timeout reason
        Assert.Contains(events, e => e.Component == ComponentId.Broker && e.Type == EventType.FailCritical && e.Reason == ReasonCode.BrokerDisconnect);
        Assert.Equal(SystemMode.SafeModeDisconnected, system.Gate.Mode);
        Assert.True(runner.GetStatistics(ComponentId.Broker).Timeouts >= 3);
    }

    [Fact]
    public async Task A_probe_that_throws_is_a_failure_not_a_crash()
    {
        await using var system = TestSystems.Create(_time);
        await using var runner = new ProbeRunner(system);
        var calls = 0;
        runner.Add(Orderbook, Every(1), _ =>
        {
            calls++;
            if (calls % 2 == 1) throw new InvalidOperationException("socket closed");
            return ValueTask.FromException<ProbeResult>(new IOException("async failure"));
        });

        var first = await runner.ProbeNowAsync(Orderbook).Within();
        Assert.Equal(ProbeStatus.Unhealthy, first.Status);
        Assert.True(first.Threw);
        Assert.Contains("socket closed", first.Details);
        Assert.Equal(new ReasonCode("orderbook-ws.unavailable"), first.Reason);

        runner.Start();
        _time.AdvanceInSteps(TimeSpan.FromSeconds(3), TimeSpan.FromMilliseconds(250));
        Assert.True(calls >= 4, $"the loop kept probing ({calls} calls)");
        Assert.True(runner.GetStatistics(Orderbook).Exceptions >= 4);
        Assert.True(runner.GetLastObservation(Orderbook)!.Threw);
    }

    [Fact]
    public async Task Failure_event_after_the_threshold_and_Recovered_after_RecoveryStableSeconds()
    {
        await using var system = TestSystems.Create(_time, o => { o.Probes.FailThresholdCount = 3; o.Recovery.StablePeriod = TimeSpan.FromSeconds(10); });
        TestSystems.DriveToNormal(system, _time);
        var events = Record(system);
        await using var runner = new ProbeRunner(system);
        var healthy = false;
        runner.Add(ComponentId.Db, Every(1), _ => ValueTask.FromResult(healthy ? ProbeResult.Healthy() : ProbeResult.Unhealthy(details: "connection refused")));

        for (var i = 1; i <= 2; i++) Assert.Equal(ProbeVerdict.Heartbeat, (await runner.ProbeNowAsync(ComponentId.Db)).Verdict);
        var third = await runner.ProbeNowAsync(ComponentId.Db);
        Assert.Equal(ProbeVerdict.Failure, third.Verdict);
        system.Bus.ProcessPending();
        Assert.Contains(events, e => e.Type == EventType.FailSupport && e.Reason == ReasonCode.DbWriteFailBuffered && e.Details!.Contains("connection refused"));
        Assert.Equal(SystemMode.Degraded, system.Gate.Mode); // optional component: at most Degraded

        healthy = true;
        Assert.Equal(ProbeVerdict.Heartbeat, (await runner.ProbeNowAsync(ComponentId.Db)).Verdict);
        _time.Advance(TimeSpan.FromSeconds(9));
        Assert.Equal(ProbeVerdict.Heartbeat, (await runner.ProbeNowAsync(ComponentId.Db)).Verdict);
        _time.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(ProbeVerdict.Recovered, (await runner.ProbeNowAsync(ComponentId.Db)).Verdict);
        system.Bus.ProcessPending();
        Assert.Empty(system.StateMachine.GetComponent(ComponentId.Db)!.Conditions);
    }

    [Fact]
    public async Task A_transient_failure_is_retried_at_once_within_the_round()
    {
        await using var system = TestSystems.Create(_time);
        await using var runner = new ProbeRunner(system);
        var calls = 0;
        runner.Add(Orderbook, Every(1), _ => ValueTask.FromResult(++calls == 1
            ? ProbeResult.Unhealthy(details: "503 Service Unavailable", transient: true)
            : ProbeResult.Healthy()));

        var observation = await runner.ProbeNowAsync(Orderbook);

        Assert.Equal(2, calls);
        Assert.Equal(2, observation.Attempts);
        Assert.Equal(ProbeStatus.Healthy, observation.Status);
        Assert.Equal(0, observation.StreakFailures);
    }

    [Fact]
    public async Task A_transient_retry_can_wait_a_configured_pause_on_the_clock()
    {
        await using var system = TestSystems.Create(_time);
        await using var runner = new ProbeRunner(system);
        var calls = new List<long>();
        runner.Add(Orderbook, new ProbeSettings { Interval = TimeSpan.FromSeconds(1), TransientRetryDelay = TimeSpan.FromMilliseconds(200) }, _ =>
        {
            calls.Add(_time.GetTimestamp());
            return ValueTask.FromResult(calls.Count == 1 ? ProbeResult.Unhealthy(details: "503", transient: true) : ProbeResult.Healthy());
        });

        var round = runner.ProbeNowAsync(Orderbook);
        Assert.False(round.IsCompleted);
        _time.Advance(TimeSpan.FromMilliseconds(200));
        var observation = await round.Within();

        Assert.Equal((ProbeStatus.Healthy, 2), (observation.Status, observation.Attempts));
        Assert.Equal(TimeSpan.FromMilliseconds(200), TimeSpan.FromTicks(calls[1] - calls[0]));
    }

    [Fact]
    public async Task A_persistent_transient_failure_counts_once_per_round()
    {
        await using var system = TestSystems.Create(_time);
        await using var runner = new ProbeRunner(system);
        var calls = 0;
        runner.Add(Orderbook, new ProbeSettings { Interval = TimeSpan.FromSeconds(1), TransientRetries = 2 },
            _ => { calls++; return ValueTask.FromResult(ProbeResult.Unhealthy(details: "503", transient: true)); });

        var observation = await runner.ProbeNowAsync(Orderbook);

        Assert.Equal(3, calls);
        Assert.Equal(3, observation.Attempts);
        Assert.Equal(1, observation.StreakFailures);
        Assert.True(observation.Transient);
    }

    [Fact]
    public async Task Risk_timeouts_report_risk_timeout_only_after_RiskTimeoutConsecutiveCount()
    {
        await using var system = TestSystems.Create(_time, o => { o.Probes.FailThresholdCount = 2; o.Probes.RiskTimeoutConsecutiveCount = 4; });
        var events = Record(system);
        await using var runner = new ProbeRunner(system);
        runner.Add(ComponentId.Risk, Every(1), _ => new ValueTask<ProbeResult>(new TaskCompletionSource<ProbeResult>().Task));
        Assert.Equal(system.Options.Probes.RiskTimeout, runner.GetStatistics(ComponentId.Risk).Timeout);

        var verdicts = new List<ProbeVerdict>();
        for (var i = 0; i < 4; i++)
        {
            var round = runner.ProbeNowAsync(ComponentId.Risk);
            _time.Advance(system.Options.Probes.RiskTimeout);
            var observation = await round.Within();
            Assert.True(observation.TimedOut);
            Assert.Equal(ReasonCode.RiskTimeout, observation.Reason);
            verdicts.Add(observation.Verdict);
        }

        Assert.Equal([ProbeVerdict.Heartbeat, ProbeVerdict.Heartbeat, ProbeVerdict.Heartbeat, ProbeVerdict.Failure], verdicts);
        system.Bus.ProcessPending();
        Assert.Single(events, e => e.Reason == ReasonCode.RiskTimeout);
    }

    [Fact]
    public async Task The_interval_is_shorter_while_the_component_is_unhealthy()
    {
        await using var system = TestSystems.Create(_time);
        await using var runner = new ProbeRunner(system);
        var calls = new List<long>();
        var failing = false;
        runner.Add(Orderbook, new ProbeSettings { Interval = TimeSpan.FromSeconds(2), UnhealthyInterval = TimeSpan.FromSeconds(0.5) }, _ =>
        {
            calls.Add(_time.GetTimestamp());
            return ValueTask.FromResult(failing ? ProbeResult.Unhealthy() : ProbeResult.Healthy());
        });

        runner.Start();
        _time.AdvanceInSteps(TimeSpan.FromSeconds(4), TimeSpan.FromMilliseconds(100));
        var healthyGaps = Gaps(calls);
        failing = true;
        calls.Clear();
        _time.AdvanceInSteps(TimeSpan.FromSeconds(4), TimeSpan.FromMilliseconds(100));
        var unhealthyGaps = Gaps(calls);

        Assert.All(healthyGaps, g => Assert.Equal(TimeSpan.FromSeconds(2), g));
        Assert.NotEmpty(unhealthyGaps);
        Assert.All(unhealthyGaps, g => Assert.Equal(TimeSpan.FromSeconds(0.5), g));
    }

    [Fact]
    public async Task Heartbeats_keep_a_healthy_component_fresh_beyond_its_status_ttl()
    {
        await using var system = TestSystems.Create(_time, o => o.Status.ComponentTtl = TimeSpan.FromSeconds(5));
        await using var runner = new ProbeRunner(system);
        runner.Add(Orderbook, Every(1), _ => ValueTask.FromResult(ProbeResult.Healthy()));
        runner.Add(ComponentId.Db, Every(1), _ => ValueTask.FromResult(ProbeResult.Healthy()));

        runner.Start();
        for (var i = 0; i < 20; i++)
        {
            _time.Advance(TimeSpan.FromSeconds(1));
            system.Bus.ProcessPending();
            system.StateMachine.Tick();
        }
        Assert.Equal(ComponentLevel.Healthy, system.StateMachine.GetComponent(Orderbook)!.Level);

        await runner.StopAsync();
        _time.Advance(TimeSpan.FromSeconds(6));
        system.StateMachine.Tick();
        Assert.Equal(ComponentLevel.Unknown, system.StateMachine.GetComponent(Orderbook)!.Level); // silence is not health
    }

    [Fact]
    public async Task A_degraded_result_publishes_QualityDegraded_and_the_system_degrades()
    {
        await using var system = TestSystems.Create(_time, o => o.Probes.FailThresholdCount = 2);
        TestSystems.DriveToNormal(system, _time);
        var events = Record(system);
        await using var runner = new ProbeRunner(system);
        runner.Add(ComponentId.MarketData, Every(1), _ => ValueTask.FromResult(ProbeResult.Degraded(0.4, details: "gaps in the feed")));

        await runner.ProbeNowAsync(ComponentId.MarketData);
        var second = await runner.ProbeNowAsync(ComponentId.MarketData);
        system.Bus.ProcessPending();

        Assert.Equal(ProbeVerdict.QualityDegraded, second.Verdict);
        Assert.Equal(0.4, second.Quality);
        Assert.Contains(events, e => e.Type == EventType.QualityDegraded && e.Reason == ReasonCode.MarketDataQualityLow);
        Assert.Equal(SystemMode.Degraded, system.Gate.Mode);
        Assert.True(system.Gate.Allows(ActionType.Send));
    }

    [Fact]
    public async Task RunOnceAsync_probes_every_component_once()
    {
        await using var system = TestSystems.Create(_time);
        await using var runner = new ProbeRunner(system);
        runner.Add(ComponentId.Broker, Every(1), _ => ValueTask.FromResult(ProbeResult.Healthy()));
        runner.Add(ComponentId.Risk, Every(1), _ => ValueTask.FromResult(ProbeResult.Unhealthy(ReasonCode.RiskTimeout)));

        var observations = await runner.RunOnceAsync();

        Assert.Equal([ComponentId.Broker, ComponentId.Risk], observations.Select(o => o.Component));
        Assert.Equal([ProbeStatus.Healthy, ProbeStatus.Unhealthy], observations.Select(o => o.Status));
    }

    [Fact]
    public async Task Latency_is_measured_on_the_clock_unless_the_probe_reports_it()
    {
        await using var system = TestSystems.Create(_time);
        await using var runner = new ProbeRunner(system);
        var pending = new TaskCompletionSource<ProbeResult>(TaskCreationOptions.RunContinuationsAsynchronously);
        runner.Add(Orderbook, Every(5, timeoutSeconds: 2), _ => new ValueTask<ProbeResult>(pending.Task));
        runner.Add(ComponentId.Db, Every(1), _ => ValueTask.FromResult(ProbeResult.Healthy(latency: TimeSpan.FromMilliseconds(7))));

        var round = runner.ProbeNowAsync(Orderbook);
        _time.Advance(TimeSpan.FromMilliseconds(300));
        pending.SetResult(ProbeResult.Healthy());
        var observation = await round.Within();

        Assert.Equal(TimeSpan.FromMilliseconds(300), observation.Latency);
        Assert.Equal(TimeSpan.FromMilliseconds(7), (await runner.ProbeNowAsync(ComponentId.Db)).Latency);
    }

    [Fact]
    public async Task Bad_settings_are_rejected_with_the_setting_named()
    {
        await using var system = TestSystems.Create(_time, o => o.Status.ComponentTtl = TimeSpan.FromSeconds(10));
        await using var runner = new ProbeRunner(system);
        static ValueTask<ProbeResult> Ok(CancellationToken _) => ValueTask.FromResult(ProbeResult.Healthy());

        Assert.Contains("Interval", Assert.ThrowsAny<ArgumentException>(() => runner.Add(Orderbook, Every(0), Ok)).Message);
        Assert.Contains("UnhealthyInterval", Assert.ThrowsAny<ArgumentException>(() =>
            runner.Add(Orderbook, new ProbeSettings { Interval = TimeSpan.FromSeconds(1), UnhealthyInterval = TimeSpan.FromSeconds(2) }, Ok)).Message);
        Assert.Contains("status TTL", Assert.ThrowsAny<ArgumentException>(() => runner.Add(Orderbook, Every(9, timeoutSeconds: 2), Ok)).Message);
        runner.Add(Orderbook, Every(1), Ok);
        Assert.Contains("already has a probe", Assert.Throws<ArgumentException>(() => runner.Add(Orderbook, Every(1), Ok)).Message);
        Assert.Throws<KeyNotFoundException>(() => { _ = runner.ProbeNowAsync(ComponentId.Alerts); });
    }

    [Fact]
    public async Task StopAsync_ends_the_loops_even_with_a_hung_probe()
    {
        await using var system = TestSystems.Create(_time);
        var runner = new ProbeRunner(system);
        runner.Add(Orderbook, Every(1), _ => new ValueTask<ProbeResult>(new TaskCompletionSource<ProbeResult>().Task));
        runner.Start();
        _time.Advance(TimeSpan.FromMilliseconds(200));

        await runner.DisposeAsync().AsTask().Within();
        Assert.False(runner.IsRunning);
    }

    [Fact]
    public async Task A_call_cancelled_by_stopping_is_not_reported_as_a_failure()
    {
        await using var system = TestSystems.Create(_time);
        var events = Record(system);
        var runner = new ProbeRunner(system);
        runner.Add(Orderbook, Every(1, timeoutSeconds: 0.5), async ct => { await Task.Delay(Timeout.Infinite, ct); return ProbeResult.Healthy(); });
        runner.Start();
        var pending = runner.ProbeNowAsync(Orderbook);

        await runner.StopAsync();
        _time.Advance(TimeSpan.FromSeconds(5));
        system.Bus.ProcessPending();

        Assert.Empty(events);
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => pending).Within();
        Assert.Equal(0, runner.GetStatistics(Orderbook).Rounds);
    }

    private static List<TimeSpan> Gaps(List<long> timestamps) =>
        [.. timestamps.Zip(timestamps.Skip(1), (a, b) => TimeSpan.FromTicks(b - a))];
}
