using Microsoft.Extensions.Time.Testing;
using Degradation.Testing;

namespace Degradation.Tests.Probes;

public class ProbeHysteresisTests
{
    private readonly FakeTimeProvider _time = new(FakeTimeProviderExtensions.TestStart);

    private ProbeHysteresis Create(Action<DegradationOptions>? configure = null)
    {
        var options = new DegradationOptions { Probes = { FailThresholdCount = 3, FailThresholdDuration = TimeSpan.FromSeconds(60) }, Recovery = { StablePeriod = TimeSpan.FromSeconds(10) } };
        configure?.Invoke(options);
        return new ProbeHysteresis(options, _time);
    }

    private ProbeVerdict Fail(ProbeHysteresis h, string reason = "broker.disconnect") => h.Observe(ProbeStatus.Unhealthy, new ReasonCode(reason), _time.GetTimestamp()).Verdict;
    private ProbeVerdict Ok(ProbeHysteresis h) => h.Observe(ProbeStatus.Healthy, default, _time.GetTimestamp()).Verdict;

    [Fact]
    public void Failure_is_reported_at_the_FailThresholdCount_th_consecutive_failure_not_before()
    {
        var h = Create();
        Assert.Equal(ProbeVerdict.Heartbeat, Fail(h));
        Assert.Equal(ProbeVerdict.Heartbeat, Fail(h));
        var (verdict, reason) = h.Observe(ProbeStatus.Unhealthy, ReasonCode.BrokerDisconnect, _time.GetTimestamp());
        Assert.Equal(ProbeVerdict.Failure, verdict);
        Assert.Equal(ReasonCode.BrokerDisconnect, reason);
        Assert.Equal(ProbeVerdict.Heartbeat, Fail(h)); // reported once, not again
    }

    [Fact]
    public void Failure_is_reported_after_FailThresholdSeconds_even_below_the_count()
    {
        var h = Create(o => { o.Probes.FailThresholdCount = 100; o.Probes.FailThresholdDuration = TimeSpan.FromSeconds(5); });
        Assert.Equal(ProbeVerdict.Heartbeat, Fail(h));
        _time.Advance(TimeSpan.FromSeconds(4.9));
        Assert.Equal(ProbeVerdict.Heartbeat, Fail(h));
        _time.Advance(TimeSpan.FromSeconds(0.1));
        Assert.Equal(ProbeVerdict.Failure, Fail(h));
    }

    [Fact]
    public void One_flaky_success_inside_a_failure_streak_does_not_reset_it()
    {
        // Rule: a streak ends only after FailThresholdCount consecutive successes; one success in between is flapping.
        var h = Create();
        Fail(h);
        Fail(h);
        Assert.Equal(ProbeVerdict.Heartbeat, Ok(h));
        Assert.Equal(ProbeVerdict.Failure, Fail(h));
    }

    [Fact]
    public void A_flapping_component_is_reported_even_though_it_never_fails_three_times_in_a_row()
    {
        var h = Create();
        var verdicts = new List<ProbeVerdict>();
        for (var i = 0; i < 3; i++)
        {
            verdicts.Add(Fail(h));
            verdicts.Add(Ok(h));
        }
        Assert.Equal(ProbeVerdict.Failure, verdicts[4]);
    }

    [Fact]
    public void FailThresholdCount_consecutive_successes_end_the_streak()
    {
        var h = Create();
        Fail(h);
        Fail(h);
        Ok(h);
        Ok(h);
        Ok(h);
        Assert.Equal(0, h.StreakFailures);
        Assert.Equal(ProbeVerdict.Heartbeat, Fail(h));
        Assert.Equal(ProbeVerdict.Heartbeat, Fail(h));
        Assert.Equal(ProbeVerdict.Failure, Fail(h));
    }

    [Fact]
    public void Streak_reset_also_restarts_the_seconds_rule()
    {
        var h = Create(o => { o.Probes.FailThresholdCount = 3; o.Probes.FailThresholdDuration = TimeSpan.FromSeconds(5); });
        Fail(h);
        _time.Advance(TimeSpan.FromSeconds(1));
        Ok(h);
        Ok(h);
        Ok(h);
        _time.Advance(TimeSpan.FromSeconds(10));
        Assert.Equal(ProbeVerdict.Heartbeat, Fail(h));
    }

    [Fact]
    public void Recovered_only_after_RecoveryStableSeconds_of_success_and_a_failure_restarts_the_window()
    {
        var h = Create();
        Fail(h); Fail(h); Fail(h);
        Assert.Equal(ProbeVerdict.Heartbeat, Ok(h));
        _time.Advance(TimeSpan.FromSeconds(9));
        Assert.Equal(ProbeVerdict.Heartbeat, Ok(h));
        Assert.Equal(ProbeVerdict.Heartbeat, Fail(h)); // restarts the window
        _time.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(ProbeVerdict.Heartbeat, Ok(h));
        _time.Advance(TimeSpan.FromSeconds(9.9));
        Assert.Equal(ProbeVerdict.Heartbeat, Ok(h));
        _time.Advance(TimeSpan.FromSeconds(0.1));
        Assert.Equal(ProbeVerdict.Recovered, Ok(h));
        Assert.Equal(ProbeVerdict.Heartbeat, Ok(h));
        Assert.False(h.IsUnhealthy);
    }

    [Fact]
    public void Risk_timeout_is_reported_only_after_RiskTimeoutConsecutiveCount_timeouts_never_by_the_seconds_rule()
    {
        var h = Create(o => { o.Probes.FailThresholdCount = 2; o.Probes.FailThresholdDuration = TimeSpan.FromSeconds(1); o.Probes.RiskTimeoutConsecutiveCount = 4; });
        for (var i = 0; i < 3; i++)
        {
            Assert.Equal(ProbeVerdict.Heartbeat, Fail(h, "risk.timeout"));
            _time.Advance(TimeSpan.FromSeconds(5));
        }
        Assert.Equal(ProbeVerdict.Failure, Fail(h, "risk.timeout"));
    }

    [Fact]
    public void Degraded_results_give_a_quality_verdict_then_failures_escalate()
    {
        var h = Create();
        var quality = ReasonCode.MarketDataQualityLow;
        Assert.Equal(ProbeVerdict.Heartbeat, h.Observe(ProbeStatus.Degraded, quality, _time.GetTimestamp()).Verdict);
        Assert.Equal(ProbeVerdict.Heartbeat, h.Observe(ProbeStatus.Degraded, quality, _time.GetTimestamp()).Verdict);
        var (verdict, reason) = h.Observe(ProbeStatus.Degraded, quality, _time.GetTimestamp());
        Assert.Equal(ProbeVerdict.QualityDegraded, verdict);
        Assert.Equal(quality, reason);
        Assert.Equal(ProbeVerdict.Heartbeat, h.Observe(ProbeStatus.Degraded, quality, _time.GetTimestamp()).Verdict);
        Fail(h, "market_data.stale");
        Fail(h, "market_data.stale");
        Assert.Equal(ProbeVerdict.Failure, Fail(h, "market_data.stale"));
    }

    [Fact]
    public void IsUnhealthy_follows_the_latest_result_before_a_verdict()
    {
        var h = Create();
        Assert.False(h.IsUnhealthy);
        Fail(h);
        Assert.True(h.IsUnhealthy);
        Ok(h);
        Assert.False(h.IsUnhealthy);
    }
}
