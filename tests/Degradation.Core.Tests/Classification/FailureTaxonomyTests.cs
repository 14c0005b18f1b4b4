using Microsoft.Extensions.Time.Testing;
using Degradation.Testing;

namespace Degradation.Tests.Classification;

/// <summary>The failure taxonomy: ten failure types with detection, typical recovery, severity and mode, and how samples reach them.</summary>
public class FailureTaxonomyTests
{
    private readonly FakeTimeProvider _time = new(FakeTimeProviderExtensions.TestStart);
    private readonly FailureClassifier _classifier = new();

    [Fact]
    public void The_ten_failure_types_carry_their_documented_metadata_in_order_of_precedence()
    {
        var expected = new (FailureKind Kind, string Name, DetectionMethod Detection, int Minutes, bool Manual, Severity Severity, string Reason, SystemMode? Mode)[]
        {
            (FailureKind.DataCorruption, "data_corruption", DetectionMethod.ChecksumValidation, 60, true, Severity.Critical, "dependency.data_corruption", SystemMode.Halt),
            (FailureKind.ConfigurationError, "configuration_error", DetectionMethod.ConfigValidator, 10, true, Severity.Critical, "dependency.configuration_error", SystemMode.SafeMode),
            (FailureKind.NetworkPartition, "network_partition", DetectionMethod.ConnectivityCheck, 20, true, Severity.Critical, "dependency.network_partition", SystemMode.SafeMode),
            (FailureKind.DependencyDown, "dependency_down", DetectionMethod.Heartbeat, 15, false, Severity.Critical, "dependency.down", null),
            (FailureKind.ErrorSpike, "error_spike", DetectionMethod.ErrorRateTracker, 3, false, Severity.Critical, "dependency.error_spike", null),
            (FailureKind.Unavailable, "unavailable", DetectionMethod.HealthCheck, 5, false, Severity.Warning, "dependency.unavailable", null),
            (FailureKind.Timeout, "timeout", DetectionMethod.RequestTimeout, 1, false, Severity.Warning, "dependency.timeout", null),
            (FailureKind.RateLimited, "rate_limited", DetectionMethod.RateLimitResponse, 5, false, Severity.Warning, "dependency.rate_limited", null),
            (FailureKind.HighLatency, "high_latency", DetectionMethod.LatencyMonitor, 2, false, Severity.Warning, "dependency.latency_high", null),
            (FailureKind.CapacityExceeded, "capacity_exceeded", DetectionMethod.QueueDepth, 10, false, Severity.Warning, "dependency.capacity_exceeded", null),
        };
        Assert.Equal(expected, FailureTaxonomy.Failures.Select(i =>
            (i.Kind, i.Name, i.Detection, (int)i.TypicalRecovery.TotalMinutes, i.RequiresManualIntervention, i.Severity, i.Reason.Value, i.DefaultMode)));
        Assert.All(FailureTaxonomy.Failures, i => Assert.True(i.IsFailure));
        Assert.All(FailureTaxonomy.QualityWarnings, i => Assert.False(i.IsFailure));
        Assert.Equal(13, FailureTaxonomy.Failures.Concat(FailureTaxonomy.QualityWarnings).Select(i => i.Reason).Distinct().Count());
        var detectedAt = _time.GetUtcNow();
        Assert.Equal(detectedAt.AddMinutes(60), FailureTaxonomy.Get(FailureKind.DataCorruption).EstimatedRecovery(detectedAt));
        Assert.Throws<ArgumentOutOfRangeException>(() => FailureTaxonomy.Get(FailureKind.None));
        Assert.Throws<ArgumentOutOfRangeException>(() => FailureTaxonomy.Get((FailureKind)99));
    }

    [Fact]
    public void Every_kind_is_found_again_by_its_reason_code()
    {
        foreach (var info in FailureTaxonomy.Failures.Concat(FailureTaxonomy.QualityWarnings))
        {
            Assert.True(FailureTaxonomy.TryGetByReason(info.Reason, out var found));
            Assert.Same(info, found);
            Assert.Equal(info.Reason, ClassificationReasons.For(info.Kind));
        }
        Assert.False(FailureTaxonomy.TryGetByReason(ReasonCode.BrokerDisconnect, out _));
        Assert.False(FailureTaxonomy.TryGetByReason(default, out _));
    }

    [Theory]
    [InlineData(FailureSignals.ChecksumMismatch, FailureKind.DataCorruption)]
    [InlineData(FailureSignals.ConfigurationInvalid, FailureKind.ConfigurationError)]
    [InlineData(FailureSignals.Unreachable, FailureKind.NetworkPartition)]
    [InlineData(FailureSignals.HeartbeatMissed, FailureKind.DependencyDown)]
    [InlineData(FailureSignals.HealthCheckFailed, FailureKind.Unavailable)]
    [InlineData(FailureSignals.RequestTimedOut, FailureKind.Timeout)]
    [InlineData(FailureSignals.RateLimited, FailureKind.RateLimited)]
    // Precedence: the more severe, more specific verdict wins.
    [InlineData(FailureSignals.ChecksumMismatch | FailureSignals.Unreachable | FailureSignals.HeartbeatMissed, FailureKind.DataCorruption)]
    [InlineData(FailureSignals.Unreachable | FailureSignals.HeartbeatMissed | FailureSignals.RequestTimedOut, FailureKind.NetworkPartition)]
    [InlineData(FailureSignals.RequestTimedOut | FailureSignals.RateLimited, FailureKind.Timeout)]
    [InlineData(FailureSignals.HealthCheckFailed | FailureSignals.RequestTimedOut, FailureKind.Unavailable)]
    public void Signals_are_classified_by_the_taxonomy(FailureSignals signals, FailureKind kind)
    {
        var verdict = _classifier.Classify(new HealthSample(3000, 0, 900) { Signals = signals }); // latency and queue critical too: signals outrank them
        Assert.Equal(kind, verdict.Kind);
        Assert.Equal(FailureTaxonomy.Get(kind).Severity, verdict.Severity);
        Assert.True(verdict.IsFailure);
        Assert.Same(FailureTaxonomy.Get(kind), verdict.Info);
    }

    [Fact]
    public void An_error_spike_outranks_the_warning_level_signals_but_not_the_critical_ones()
    {
        Assert.Equal(FailureKind.ErrorSpike, _classifier.Classify(new HealthSample(0, 0.5, 0) { Signals = FailureSignals.HealthCheckFailed | FailureSignals.RateLimited }).Kind);
        Assert.Equal(FailureKind.DependencyDown, _classifier.Classify(new HealthSample(0, 0.5, 0) { Signals = FailureSignals.HeartbeatMissed }).Kind);
        Assert.Equal(FailureKind.None, _classifier.Classify(new HealthSample(0, 0, 0)).Kind);
        Assert.Null(_classifier.Classify(new HealthSample(0, 0, 0)).Info);
    }

    [Fact]
    public void Unknown_signal_bits_are_refused_naming_the_value()
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => _classifier.Classify(new HealthSample(0, 0, 0) { Signals = (FailureSignals)(1 << 20) }));
        Assert.Contains("Signals", error.Message);
    }

    [Fact]
    public void The_event_details_name_the_detection_method_and_the_typical_recovery()
    {
        Assert.True(_classifier.TryCreateEvent(_time, ComponentId.Db, new HealthSample(10, 0, 0) { Signals = FailureSignals.ChecksumMismatch }, false, out var e));
        Assert.Equal((EventType.FailSupport, "dependency.data_corruption", Severity.Critical), (e.Type, e.Reason.Value, e.Severity));
        Assert.Contains("ChecksumValidation", e.Details);
        Assert.Contains("60 min", e.Details);
        Assert.Contains("needs an operator", e.Details);
    }

    [Theory]
    // Data corruption halts even for an optional component: corrupt data must not be traded on until someone has looked.
    [InlineData("db", FailureSignals.ChecksumMismatch, SystemMode.Halt)]
    [InlineData("risk", FailureSignals.ChecksumMismatch, SystemMode.Halt)]
    [InlineData("risk", FailureSignals.ConfigurationInvalid, SystemMode.SafeMode)]
    [InlineData("risk", FailureSignals.Unreachable, SystemMode.SafeMode)]
    [InlineData("db", FailureSignals.Unreachable, SystemMode.Degraded)]   // an optional component is capped at Degraded
    [InlineData("risk", FailureSignals.RateLimited, SystemMode.SafeMode)] // unmapped: a critical component's failure
    [InlineData("db", FailureSignals.RequestTimedOut, SystemMode.Degraded)]
    [InlineData("market_data", FailureSignals.HeartbeatMissed, SystemMode.SafeMode)]
    public async Task Classified_failures_move_the_mode_by_the_decision_matrix(string component, FailureSignals signals, SystemMode mode)
    {
        await using var system = NormalSystems.Create(_time);
        _classifier.Publish(system.Bus, system.Policy, _time, new ComponentId(component), new HealthSample(10, 0, 0) { Signals = signals });
        system.Bus.ProcessPending();
        Assert.Equal(mode, system.Gate.Mode);
    }

    [Fact]
    public async Task The_health_report_names_the_failure_type_of_the_strictest_condition()
    {
        await using var system = NormalSystems.Create(_time);
        _classifier.Publish(system.Bus, system.Policy, _time, ComponentId.Db, new HealthSample(10, 0.02, 0)); // quality warning: Degraded
        _classifier.Publish(system.Bus, system.Policy, _time, ComponentId.Risk, new HealthSample(10, 0, 0) { Signals = FailureSignals.ConfigurationInvalid });
        system.ReportFailure(ComponentId.MarketData, ReasonCode.MarketDataStale); // not a taxonomy reason
        system.Bus.ProcessPending();

        var report = new HealthReporter(system).Build();
        var components = report.Components.ToDictionary(c => c.Id);
        Assert.Equal(FailureKind.ConfigurationError, components[ComponentId.Risk].FailureType!.Kind);
        Assert.True(components[ComponentId.Risk].FailureType!.RequiresManualIntervention);
        Assert.Equal(FailureKind.ErrorsElevated, components[ComponentId.Db].FailureType!.Kind);
        Assert.Null(components[ComponentId.MarketData].FailureType);
        Assert.Null(components[ComponentId.Broker].FailureType);
    }

    [Fact]
    public void Loosening_a_taxonomy_row_needs_allow_loosening()
    {
        var options = new DegradationOptions();
        options.DecisionMatrix["dependency.data_corruption"] = SystemMode.SafeMode;
        Assert.Contains(options.Validate(), e => e.Contains("dependency.data_corruption", StringComparison.Ordinal) && e.Contains("AllowLoosening", StringComparison.Ordinal));
        options.AllowLoosening.Add("dependency.data_corruption");
        Assert.Empty(options.Validate());
    }
}
