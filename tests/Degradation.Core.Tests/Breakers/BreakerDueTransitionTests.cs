using Degradation.Testing;

namespace Degradation.Tests.Breakers;

/// <summary>
/// Changes due by time are applied by whichever comes first (a read, an admission, a report or the timer), whether the
/// timer fires on time, late or never, and are dated to their deadline.
/// </summary>
public sealed class BreakerDueTransitionTests
{
    private static readonly TimeSpan Break = TimeSpan.FromSeconds(5);

    [Fact]
    public void On_time_timers_move_an_untouched_breaker_at_each_deadline()
    {
        using var rig = new BreakerRig(TimerFiring.OnTime);
        var openedAt = rig.Open();
        rig.Time.Advance(TimeSpan.FromSeconds(60)); // nobody looks
        var halfOpen = Assert.Single(rig.Changes, c => c.To == BreakerState.HalfOpen);
        Assert.Equal(rig.WallAt(openedAt + Break.Ticks), halfOpen.WallTime);
    }

    [Fact]
    public void A_late_timer_dates_the_change_to_its_deadline_not_to_its_firing()
    {
        using var rig = new BreakerRig(TimerFiring.Late);
        var openedAt = rig.Open();
        rig.Time.Advance(Break + TimeSpan.FromSeconds(3));
        Assert.Equal(1, rig.Time.FireDueTimers());
        Assert.Equal(BreakerState.HalfOpen, rig.LastChange.To);
        Assert.Equal(rig.WallAt(openedAt + Break.Ticks), rig.LastChange.WallTime);
        Assert.Equal(BreakerState.HalfOpen, rig.Breaker.State);
    }

    [Fact]
    public void A_timer_that_never_fires_does_not_leave_the_breaker_open()
    {
        using var rig = new BreakerRig(TimerFiring.Never);
        var openedAt = rig.Open();
        rig.Time.Advance(Break - TimeSpan.FromTicks(1));
        Assert.False(rig.Breaker.TryAcquire(out _));
        rig.Time.Advance(TimeSpan.FromHours(1));
        Assert.True(rig.Breaker.TryAcquire(out var trial)); // the admission applies the due change itself
        Assert.True(trial.IsTrial);
        Assert.Equal(rig.WallAt(openedAt + Break.Ticks), rig.LastChange.WallTime);
    }

    [Theory]
    [InlineData(TimerFiring.OnTime)]
    [InlineData(TimerFiring.Late)]
    [InlineData(TimerFiring.Never)]
    public void A_trial_that_never_reports_reopens_the_breaker_at_its_deadline_whatever_the_timer_does(TimerFiring firing)
    {
        using var rig = new BreakerRig(firing);
        rig.Open();
        rig.Time.Advance(Break + TimeSpan.FromSeconds(1));
        Assert.True(rig.Breaker.TryAcquire(out var lost));   // admitted 6 s after opening; never reports
        var admittedAt = rig.Elapsed;
        Assert.False(rig.Breaker.TryAcquire(out _));         // its slot is taken
        rig.Time.Advance(Break - TimeSpan.FromTicks(1));
        Assert.False(rig.Breaker.TryAcquire(out _));
        Assert.Equal(BreakerState.HalfOpen, rig.Breaker.State);

        rig.Time.Advance(TimeSpan.FromTicks(1));
        rig.Time.FireDueTimers();
        Assert.Equal(BreakerState.Open, rig.Breaker.State);
        var reopened = rig.LastChange;
        Assert.Equal((BreakerState.HalfOpen, BreakerState.Open), (reopened.From, reopened.To));
        Assert.Equal(rig.WallAt(admittedAt + Break.Ticks), reopened.WallTime);

        // Another break later, a fresh trial is admitted; the lost trial's report, if it ever comes, is ignored.
        rig.Time.Advance(Break);
        Assert.True(rig.Breaker.TryAcquire(out var next));
        rig.Breaker.Record(lost, success: false);
        Assert.Equal(BreakerState.HalfOpen, rig.Breaker.State);
        rig.Breaker.Record(next, success: true);
        Assert.Equal(BreakerState.Closed, rig.Breaker.State);
    }

    [Fact]
    public void Changes_noticed_long_after_they_fell_due_are_applied_in_sequence_each_dated_to_its_deadline()
    {
        using var rig = new BreakerRig(TimerFiring.Never);
        var openedAt = rig.Open();
        rig.Time.Advance(Break);
        Assert.True(rig.Breaker.TryAcquire(out _));          // a trial admitted at the break's end, never reporting
        var count = rig.Changes.Count;
        rig.Time.Advance(TimeSpan.FromSeconds(12));          // trial deadline at +10 s, next break ends at +15 s
        Assert.Equal(BreakerState.HalfOpen, rig.Breaker.State);
        var noticed = rig.Changes.Skip(count).ToArray();
        Assert.Equal([BreakerState.Open, BreakerState.HalfOpen], noticed.Select(c => c.To));
        Assert.Equal([rig.WallAt(openedAt + 2 * Break.Ticks), rig.WallAt(openedAt + 3 * Break.Ticks)], noticed.Select(c => c.WallTime));
        Assert.Equal(noticed[0].Generation + 1, noticed[1].Generation);
    }

    [Fact]
    public void A_trial_reporting_after_its_deadline_is_too_late_even_before_anyone_noticed()
    {
        using var rig = new BreakerRig(TimerFiring.Never);
        rig.Open();
        rig.Time.Advance(Break);
        Assert.True(rig.Breaker.TryAcquire(out var trial));
        rig.Time.Advance(Break + TimeSpan.FromMilliseconds(1));
        rig.Breaker.Record(trial, success: true);
        Assert.Equal(BreakerState.Open, rig.Breaker.State);
    }

    [Theory]
    [InlineData(TimerFiring.OnTime)]
    [InlineData(TimerFiring.Never)]
    public void The_trial_deadline_runs_from_admitting_the_trial_not_from_entering_half_open(TimerFiring firing)
    {
        using var rig = new BreakerRig(firing);
        rig.Open();
        rig.Time.Advance(Break);                                 // half-open
        Assert.Equal(BreakerState.HalfOpen, rig.Breaker.State);
        rig.Time.Advance(TimeSpan.FromSeconds(4.9));
        Assert.True(rig.Breaker.TryAcquire(out var trial));      // admitted 4.9 s into half-open
        rig.Time.Advance(TimeSpan.FromSeconds(0.2));             // 5.1 s after entering half-open, 0.2 s after admission
        Assert.Equal(BreakerState.HalfOpen, rig.Breaker.State);
        rig.Breaker.Record(trial, success: true);
        Assert.Equal(BreakerState.Closed, rig.Breaker.State);
    }

    [Fact]
    public void Each_trial_has_its_own_deadline()
    {
        using var rig = new BreakerRig(TimerFiring.OnTime, o => o.HalfOpenTrialCalls = 2);
        rig.Open();
        rig.Time.Advance(Break);
        Assert.True(rig.Breaker.TryAcquire(out var first));
        var firstAdmitted = rig.Elapsed;
        rig.Time.Advance(TimeSpan.FromSeconds(3));
        Assert.True(rig.Breaker.TryAcquire(out var second));
        rig.Breaker.Record(first, success: true);                // first reported: only the second's deadline remains
        rig.Time.Advance(TimeSpan.FromSeconds(4));               // past where the first's deadline was
        Assert.Equal(BreakerState.HalfOpen, rig.Breaker.State);
        rig.Time.Advance(TimeSpan.FromSeconds(1));               // the second's deadline (3 + 5 s after the first's admission)
        Assert.Equal(BreakerState.Open, rig.Breaker.State);
        Assert.Equal(rig.WallAt(firstAdmitted + TimeSpan.FromSeconds(8).Ticks), rig.LastChange.WallTime);
        rig.Breaker.Record(second, success: true);
        Assert.Equal(BreakerState.Open, rig.Breaker.State);
    }

    [Fact]
    public void An_idle_half_open_breaker_waits_for_trial_calls_without_a_timer()
    {
        using var rig = new BreakerRig(TimerFiring.OnTime);
        rig.Open();
        rig.Time.Advance(Break);
        Assert.Equal(BreakerState.HalfOpen, rig.Breaker.State);
        Assert.Equal(1, rig.Time.PendingTimers); // the window's rotation timer only
        rig.Time.Advance(TimeSpan.FromDays(3));
        Assert.Equal(BreakerState.HalfOpen, rig.Breaker.State);
    }

    [Fact]
    public void An_isolation_ttl_ends_at_its_deadline_with_timers_that_never_fire()
    {
        using var rig = new BreakerRig(TimerFiring.Never);
        rig.Breaker.Isolate("ops", "maintenance", TimeSpan.FromSeconds(30));
        var isolatedAt = rig.Elapsed;
        rig.Time.Advance(TimeSpan.FromSeconds(30) - TimeSpan.FromTicks(1));
        Assert.Equal(BreakerState.Isolated, rig.Breaker.State);
        rig.Time.Advance(TimeSpan.FromMinutes(10));
        var snapshot = rig.Breaker.GetSnapshot();
        Assert.Equal(BreakerState.HalfOpen, snapshot.State);
        Assert.Null(snapshot.IsolatedBy);
        Assert.Equal(rig.WallAt(isolatedAt + TimeSpan.FromSeconds(30).Ticks), rig.LastChange.WallTime);
    }
}
