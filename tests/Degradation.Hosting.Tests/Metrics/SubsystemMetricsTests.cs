using Degradation.Hosting;
using Degradation.Testing;

namespace Degradation.Tests.Metrics;

/// <summary>The subsystem instruments of <see cref="DegradationMetrics"/>, read with a <see cref="System.Diagnostics.Metrics.MeterListener"/>.</summary>
public sealed class SubsystemMetricsTests : MetricsTestBase
{
    [Fact]
    public void Every_degradation_instrument_has_a_unit_and_a_description()
    {
        var instruments = Recorder.Instruments.Where(i => i.Name.StartsWith("degradation.", StringComparison.Ordinal)).ToList();
        foreach (var name in new[]
        {
            "degradation.load.level", "degradation.load.transitions", "degradation.load.shed", "degradation.breaker.state",
            "degradation.breaker.transitions", "degradation.probe.failures", "degradation.probe.latency", "degradation.retry.attempts",
            "degradation.replay.duration", "degradation.replay.entries", "degradation.reconciliation.divergence",
            "degradation.cache.invalidations", "degradation.cache.invalidated_entries",
        })
            Assert.Contains(instruments, i => i.Name == name);
        foreach (var instrument in instruments.Where(i => i.Name is not ("degradation.mode" or "degradation.recovery.stage")))
        {
            Assert.False(string.IsNullOrWhiteSpace(instrument.Unit), $"{instrument.Name} has no unit");
            Assert.False(string.IsNullOrWhiteSpace(instrument.Description), $"{instrument.Name} has no description");
        }
    }

    [Fact]
    public void Load_level_its_transitions_and_shed_messages_by_tier_and_reason_are_reported()
    {
        var monitor = new LoadLevelMonitor(new LoadDegradationOptions { RecoveryCooldown = TimeSpan.FromSeconds(1) }, Time);
        var shedder = new LoadShedder(new LoadSheddingOptions { Tier1Symbols = ["BTCUSDT"], Tier2Symbols = ["ETHUSDT"] }, monitor);
        using var trackedMonitor = Metrics.Track(monitor);
        using var trackedShedder = Metrics.Track(shedder, "market-data");

        monitor.Evaluate(lag: 0, heapPercent: 99); // circuit break: only critical passes
        Assert.Equal(LoadLevel.CircuitBreak, monitor.Level);
        Assert.True(shedder.ShouldProcess("BTCUSDT"));
        Assert.False(shedder.ShouldProcess("ETHUSDT"));
        Assert.False(shedder.ShouldProcess("DOGEUSDT"));
        Assert.False(shedder.ShouldProcess("DOGEUSDT"));
        Assert.False(shedder.ShouldProcess("BTCUSDT", MarketDataKind.ReferenceData));

        Assert.Equal(4, Assert.Single(Recorder.Of("degradation.load.level", (MetricTags.Component, "load"))).Value);
        Assert.Single(Recorder.Of("degradation.load.transitions", ("degradation.from", "normal"), ("degradation.to", "circuit_break")));
        Assert.Equal(1, Single("degradation.load.shed", ("degradation.priority", "high"), ("degradation.reason", "load.circuit_break"), ("degradation.shedder", "market-data")));
        Assert.Equal(2, Single("degradation.load.shed", ("degradation.priority", "normal"), ("degradation.reason", "load.circuit_break")));
        Assert.Equal(1, Single("degradation.load.shed", ("degradation.priority", "low"), ("degradation.reason", "load.circuit_break")));
        Assert.Empty(Recorder.Of("degradation.load.shed", ("degradation.priority", "critical")));
        Assert.Equal(4, shedder.Counters.TotalShed);
    }

    [Fact]
    public void Breaker_state_and_transitions_are_reported()
    {
        using var breaker = SystemUnderTest.CreateCircuitBreaker(ComponentId.Db);
        using var tracked = Metrics.Track(breaker);

        breaker.Isolate("ops-1", "maintenance");
        Assert.Equal((int)BreakerState.Isolated, Single("degradation.breaker.state", (MetricTags.Component, "db")));
        breaker.Reset("ops-1");
        Recorder.Clear();

        Assert.Equal((int)BreakerState.Closed, Single("degradation.breaker.state", (MetricTags.Component, "db")));
        var measured = Recorder.Collect();
        Assert.DoesNotContain(measured, m => m.Name == "degradation.breaker.transitions"); // cleared: only new ones
        Recorder.Clear();
        breaker.Isolate("ops-1", "again");
        Assert.Single(Recorder.Of("degradation.breaker.transitions", (MetricTags.Component, "db"), ("degradation.from", "closed"), ("degradation.to", "isolated")));
    }

    [Fact]
    public async Task Probe_failures_and_latency_are_reported()
    {
        await using var runner = new ProbeRunner(SystemUnderTest);
        var down = true;
        runner.Add(new DelegateProbe(ComponentId.Broker, _ => ValueTask.FromResult(down
            ? ProbeResult.Unhealthy(ReasonCode.BrokerDisconnect, latency: TimeSpan.FromMilliseconds(250))
            : ProbeResult.Healthy(TimeSpan.FromMilliseconds(20)))), new ProbeSettings { Interval = TimeSpan.FromSeconds(10) });
        using var tracked = Metrics.Track(runner);

        await runner.ProbeNowAsync(ComponentId.Broker);
        down = false;
        await runner.ProbeNowAsync(ComponentId.Broker);

        var failure = Assert.Single(Recorder.Of("degradation.probe.failures", (MetricTags.Component, "broker")));
        Assert.Equal("unhealthy", failure.Tags["degradation.status"]);
        Assert.Equal("broker.disconnect", failure.Tags["degradation.reason"]);
        Assert.Equal(0.25, Single("degradation.probe.latency", (MetricTags.Component, "broker"), ("degradation.status", "unhealthy")), 3);
        Assert.Equal(0.02, Single("degradation.probe.latency", (MetricTags.Component, "broker"), ("degradation.status", "healthy")), 3);
    }

    [Fact]
    public async Task Operation_retries_are_counted_by_operation()
    {
        var retry = new IdempotentRetry(new IdempotentRetryOptions { MaxAttempts = 3 }, Time);
        retry.RetryScheduled += scheduled => Time.Advance(scheduled.Delay); // the delay is already waiting on the clock
        using var tracked = Metrics.Track(retry, "submit_order");
        var calls = 0;

        var result = await retry.ExecuteAsync("order-1",
            (_, _) => ++calls < 3 ? throw new TimeoutException("broker slow") : ValueTask.FromResult(42),
            (_, _) => ValueTask.FromResult(IdempotencyLookup<int>.NotFound));

        Assert.Equal(42, result.Value);
        var retries = Recorder.Of("degradation.retry.attempts", ("degradation.source", "operation"), ("degradation.operation", "submit_order"));
        Assert.Equal(2, retries.Sum(m => m.Value));
    }

    [Fact]
    public async Task Write_buffer_replay_duration_and_entries_are_reported()
    {
        var applied = new List<string>();
        var target = BufferedWriteTarget.Create((entry, _) =>
        {
            Time.Advance(TimeSpan.FromMilliseconds(500)); // each write takes half a second on the test clock
            applied.Add(entry.Record.IdempotentKey);
            return ValueTask.CompletedTask;
        });
        await using var buffer = await WriteBuffer.OpenAsync(SystemUnderTest, new InMemoryWalStore(), target);
        await buffer.EnqueueAsync("k1", "order", "1", new byte[] { 1 });
        await buffer.EnqueueAsync("k2", "order", "2", new byte[] { 2 });
        var step = new WriteBufferReplayStep(buffer);
        using var tracked = Metrics.Track(step);

        var result = await step.ExecuteAsync(Context(), CancellationToken.None);

        Assert.Equal(RecoveryStepStatus.Succeeded, result.Status);
        Assert.Equal(["k1", "k2"], applied);
        Assert.Equal(1.0, Single("degradation.replay.duration", ("degradation.outcome", "completed")), 3);
        Assert.Equal(2, Single("degradation.replay.entries", ("degradation.outcome", "replayed")));
    }

    [Fact]
    public async Task Reconciliation_divergence_is_reported_and_the_reconciled_signal_raised()
    {
        var broker = new Dictionary<string, decimal> { ["BTC"] = 1m, ["ETH"] = 2m };
        var local = new Dictionary<string, decimal> { ["BTC"] = 1m, ["ETH"] = 2m };
        var step = new PositionReconciliationStep(
            _ => ValueTask.FromResult<IReadOnlyDictionary<string, decimal>>(local),
            _ => ValueTask.FromResult<IReadOnlyDictionary<string, decimal>>(broker));
        var signals = new List<PositionReconciliation>();
        step.Reconciled += signals.Add;
        using var tracked = Metrics.Track(step);

        Assert.Equal(RecoveryStepStatus.Succeeded, (await step.ExecuteAsync(Context(), CancellationToken.None)).Status);
        local["ETH"] = 3m;
        local["SOL"] = 5m;
        var diverged = await step.ExecuteAsync(Context(), CancellationToken.None);

        Assert.Equal(RecoveryStepStatus.Fatal, diverged.Status);
        Assert.Equal(0, Single("degradation.reconciliation.divergence", ("degradation.outcome", "reconciled")));
        Assert.Equal(2, Single("degradation.reconciliation.divergence", ("degradation.outcome", "diverged")));
        Assert.Equal([true, false], signals.Select(s => s.IsReconciled));
        Assert.Equal(3, signals[1].Instruments);
        Assert.Equal(Time.GetUtcNow(), signals[1].WallTime);
    }

    [Fact]
    public async Task Cache_invalidations_are_counted_by_cache_with_the_entries_dropped()
    {
        var positions = new StalenessCache<string, decimal>("positions", TimeSpan.FromSeconds(30), Time);
        var prices = new StalenessCache<string, decimal>("prices", TimeSpan.FromSeconds(5), Time);
        positions.Set("BTC", 1m, "broker");
        positions.Set("ETH", 2m, "broker");
        var step = new CacheInvalidationStep(positions, prices);
        using var tracked = Metrics.Track(step);

        await step.ExecuteAsync(Context(), CancellationToken.None);

        Assert.Equal(1, Single("degradation.cache.invalidations", ("degradation.cache", "positions")));
        Assert.Equal(1, Single("degradation.cache.invalidations", ("degradation.cache", "prices")));
        Assert.Equal(2, Single("degradation.cache.invalidated_entries", ("degradation.cache", "positions")));
        Assert.Equal(0, Single("degradation.cache.invalidated_entries", ("degradation.cache", "prices")));
    }

    [Fact]
    public void Disposing_a_tracking_stops_reporting_that_part()
    {
        var monitor = new LoadLevelMonitor(timeProvider: Time);
        var tracked = Metrics.Track(monitor);
        monitor.Evaluate(lag: 0, heapPercent: 99);
        tracked.Dispose();
        tracked.Dispose(); // idempotent
        Recorder.Clear();

        monitor.Reset("ops-1", "test");

        Assert.Empty(Recorder.Of("degradation.load.level"));
        Assert.Empty(Recorder.Of("degradation.load.transitions"));
    }

    [Fact]
    public void A_throwing_level_observer_does_not_undo_the_change()
    {
        var monitor = new LoadLevelMonitor(timeProvider: Time);
        monitor.LevelChanged += _ => throw new InvalidOperationException("observer bug");
        using var tracked = Metrics.Track(monitor);

        Assert.Equal(LoadLevel.CircuitBreak, monitor.Evaluate(lag: 0, heapPercent: 99));
        Assert.Single(Recorder.Of("degradation.load.transitions", ("degradation.to", "circuit_break")));
    }

    private double Single(string name, params (string Key, string? Value)[] tags) =>
        Assert.Single(Recorder.Of(name, tags)).Value;

    private RecoveryStepContext Context() =>
        new(default, RecoveryTrigger.ColdStart, RecoveryStage.CatchupMarketData, 1, Time);
}
