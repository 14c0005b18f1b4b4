using Degradation.Testing;

namespace Degradation.Tests.Breakers;

/// <summary>Behaviour under racing callers: trial limits hold and the breaker opens once.</summary>
public sealed class BreakerRaceTests
{
    [Fact]
    public void Racing_callers_in_half_open_get_exactly_the_trial_limit()
    {
        const int threads = 8, trialCalls = 3;
        using var rig = new BreakerRig(TimerFiring.OnTime, o => o.HalfOpenTrialCalls = trialCalls);
        rig.Open();
        rig.Time.Advance(TimeSpan.FromSeconds(5));
        using var start = new Barrier(threads);
        var admitted = new int[threads];
        var permits = new BreakerPermit[threads];
        var workers = Enumerable.Range(0, threads).Select(t => new Thread(() =>
        {
            start.SignalAndWait();
            if (rig.Breaker.TryAcquire(out permits[t])) admitted[t] = 1;
        })).ToArray();
        foreach (var worker in workers) worker.Start();
        foreach (var worker in workers) worker.Join();

        Assert.Equal(trialCalls, admitted.Sum());
        Assert.All(permits.Where((_, t) => admitted[t] == 1), p => Assert.True(p.IsTrial));
        foreach (var permit in permits.Where((_, t) => admitted[t] == 1)) rig.Breaker.Record(permit, success: true);
        Assert.Equal(BreakerState.Closed, rig.Breaker.State);
    }

    [Fact]
    public void Racing_failures_open_the_breaker_once()
    {
        const int threads = 4, callsEach = 500;
        using var rig = new BreakerRig(TimerFiring.OnTime, o => { o.MinimumThroughput = 100; o.FailureRatio = 0.5; });
        using var start = new Barrier(threads);
        var workers = Enumerable.Range(0, threads).Select(_ => new Thread(() =>
        {
            start.SignalAndWait();
            for (var i = 0; i < callsEach; i++)
                if (rig.Breaker.TryAcquire(out var permit)) rig.Breaker.Record(permit, success: false);
        })).ToArray();
        foreach (var worker in workers) worker.Start();
        foreach (var worker in workers) worker.Join();

        var opened = Assert.Single(rig.Changes);
        Assert.Equal((BreakerState.Closed, BreakerState.Open), (opened.From, opened.To));
        Assert.Equal(1, rig.Breaker.GetSnapshot().TimesOpened);
    }

    [Fact]
    public void A_failed_trial_reopens_for_a_full_break_counted_from_the_failure()
    {
        using var rig = new BreakerRig(TimerFiring.OnTime);
        rig.Open();
        rig.Time.Advance(TimeSpan.FromSeconds(5));
        Assert.True(rig.Breaker.TryAcquire(out var trial));
        rig.Time.Advance(TimeSpan.FromSeconds(2));
        var failedAt = rig.Elapsed;
        rig.Breaker.Record(trial, success: false);
        Assert.Equal(BreakerState.Open, rig.Breaker.State);
        rig.Time.Advance(TimeSpan.FromSeconds(5) - TimeSpan.FromTicks(1));
        Assert.Equal(BreakerState.Open, rig.Breaker.State);
        rig.Time.Advance(TimeSpan.FromTicks(1));
        Assert.Equal(BreakerState.HalfOpen, rig.Breaker.State);
        Assert.Equal(rig.WallAt(failedAt + TimeSpan.FromSeconds(5).Ticks), rig.LastChange.WallTime);
    }

    [Fact]
    public void Minimum_throughput_and_window_expiry_hold_on_a_sliding_window()
    {
        using var rig = new BreakerRig(TimerFiring.OnTime, o =>
        {
            o.SamplingDuration = TimeSpan.FromSeconds(10);
            o.WindowBuckets = 10;
            o.MinimumThroughput = 4;
        });
        for (var i = 0; i < 3; i++) rig.Call(success: false);
        Assert.Equal(BreakerState.Closed, rig.Breaker.State); // 3 failures: below the minimum throughput
        rig.Time.Advance(TimeSpan.FromSeconds(10));            // they slide out of the window
        rig.Call(success: false);
        Assert.Equal(BreakerState.Closed, rig.Breaker.State);
        Assert.Equal(1, rig.Breaker.GetSnapshot().WindowCalls);
        for (var i = 0; i < 3; i++) rig.Call(success: false);
        Assert.Equal(BreakerState.Open, rig.Breaker.State);
    }
}
