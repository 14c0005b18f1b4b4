using Microsoft.Extensions.Time.Testing;
using Degradation.Testing;

namespace Degradation.Tests.Classification;

public class FailureClassifierTests
{
    private readonly FakeTimeProvider _time = new(FakeTimeProviderExtensions.TestStart);
    private readonly FailureClassifier _classifier = new();

    // The default thresholds: latency 500 / 2000 ms, error rate 0.01 / 0.05, queue depth 100 / 500; strictly above.
    [Theory]
    [InlineData(100, 0.0, 10, FailureKind.None, Severity.Info)]
    [InlineData(500, 0.01, 100, FailureKind.None, Severity.Info)]              // exactly at every warning threshold
    [InlineData(501, 0.0, 0, FailureKind.LatencyElevated, Severity.Warning)]
    [InlineData(0, 0.011, 0, FailureKind.ErrorsElevated, Severity.Warning)]
    [InlineData(0, 0.0, 101, FailureKind.QueueElevated, Severity.Warning)]
    [InlineData(2000, 0.05, 500, FailureKind.LatencyElevated, Severity.Warning)] // exactly at every critical threshold
    [InlineData(2001, 0.0, 0, FailureKind.HighLatency, Severity.Warning)]
    [InlineData(0, 0.051, 0, FailureKind.ErrorSpike, Severity.Critical)]
    [InlineData(0, 0.0, 501, FailureKind.CapacityExceeded, Severity.Warning)]
    [InlineData(3000, 0.10, 600, FailureKind.ErrorSpike, Severity.Critical)]   // every signal critical: most severe wins
    [InlineData(3000, 0.02, 600, FailureKind.HighLatency, Severity.Warning)]   // latency before queue depth
    [InlineData(600, 0.0, 600, FailureKind.CapacityExceeded, Severity.Warning)] // a failure outranks a warning
    public void Classification_table(double latencyMs, double errorRate, long queueDepth, FailureKind kind, Severity severity)
    {
        var verdict = _classifier.Classify(new HealthSample(latencyMs, errorRate, queueDepth));
        Assert.Equal((kind, severity), (verdict.Kind, verdict.Severity));
        Assert.Equal(kind >= FailureKind.HighLatency, verdict.IsFailure);
        Assert.Equal(kind is > FailureKind.None and < FailureKind.HighLatency, verdict.IsQualityDegraded);
    }

    [Theory]
    [InlineData(0, 0.1, 0, true, EventType.FailCritical, "dependency.error_spike")]
    [InlineData(0, 0.1, 0, false, EventType.FailSupport, "dependency.error_spike")]
    [InlineData(2500, 0, 0, false, EventType.FailSupport, "dependency.latency_high")]
    [InlineData(0, 0, 900, false, EventType.FailSupport, "dependency.capacity_exceeded")]
    [InlineData(700, 0, 0, true, EventType.QualityDegraded, "dependency.latency_elevated")]
    [InlineData(0, 0.02, 0, false, EventType.QualityDegraded, "dependency.errors_elevated")]
    [InlineData(0, 0, 200, false, EventType.QualityDegraded, "dependency.queue_elevated")]
    public void Verdicts_become_events(double latencyMs, double errorRate, long queueDepth, bool critical, EventType type, string reason)
    {
        Assert.True(_classifier.TryCreateEvent(_time, ComponentId.MarketData, new HealthSample(latencyMs, errorRate, queueDepth), critical, out var e));
        Assert.Equal((type, reason, ComponentId.MarketData), (e.Type, e.Reason.Value, e.Component));
        Assert.Equal(_time.GetUtcNow(), e.WallTime);
        Assert.Contains("latency", e.Details);
    }

    [Fact]
    public void A_healthy_sample_makes_no_event()
    {
        Assert.False(_classifier.TryCreateEvent(_time, ComponentId.Db, new HealthSample(10, 0, 0), false, out _));
    }

    [Fact]
    public async Task Published_verdicts_reach_the_state_machine_with_the_components_criticality()
    {
        await using var system = DegradationSystem.Create(new DegradationOptions(), _time);
        var events = new List<SystemEvent>();
        system.Bus.Subscribe(events.Add);
        _classifier.Publish(system.Bus, system.Policy, _time, ComponentId.Risk, new HealthSample(0, 0.2, 0)); // critical component
        _classifier.Publish(system.Bus, system.Policy, _time, ComponentId.Db, new HealthSample(0, 0.2, 0));   // optional component
        var healthy = _classifier.Publish(system.Bus, system.Policy, _time, ComponentId.Db, new HealthSample(0, 0, 0));
        system.Bus.ProcessPending();
        Assert.Equal(FailureKind.None, healthy.Kind);
        Assert.Equal([EventType.FailCritical, EventType.FailSupport], events.Select(e => e.Type));
        Assert.Equal(SystemMode.SafeMode, Assert.Single(system.StateMachine.GetComponent(ComponentId.Risk)!.Conditions).Mode); // unmapped critical failure: fail safe
        Assert.Equal(SystemMode.Degraded, Assert.Single(system.StateMachine.GetComponent(ComponentId.Db)!.Conditions).Mode);
    }

    [Fact]
    public void Thresholds_are_configurable_and_validated()
    {
        var strict = new FailureClassifier(new FailureClassificationOptions { LatencyWarning = TimeSpan.FromMilliseconds(50), LatencyCritical = TimeSpan.FromMilliseconds(100) });
        Assert.Equal(FailureKind.HighLatency, strict.Classify(new HealthSample(150, 0, 0)).Kind);

        var ex = Assert.Throws<DegradationOptionsException>(() => new FailureClassifier(new FailureClassificationOptions
        {
            LatencyWarning = TimeSpan.FromSeconds(3), ErrorRateCritical = 1.5, QueueDepthWarning = -1,
        }));
        Assert.Equal(
            [
                "FailureClassificationOptions:ErrorRateCritical must be within [0, 1] (was 1.5).",
                "FailureClassificationOptions:QueueDepthWarning must be >= 0 (was -1).",
                "FailureClassificationOptions:LatencyCritical (00:00:02) must not be below FailureClassificationOptions:LatencyWarning (00:00:03).",
            ],
            ex.Failures);
        Assert.Throws<ArgumentOutOfRangeException>(() => _classifier.Classify(new HealthSample(double.NaN, 0, 0)));
        Assert.Throws<ArgumentOutOfRangeException>(() => _classifier.Classify(new HealthSample(0, 0, -5)));
    }
}
