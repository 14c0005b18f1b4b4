using Microsoft.Extensions.Time.Testing;
using System.Reflection;
using Degradation.Testing;

namespace Degradation.Tests.Breakers;

/// <summary>State changes are announced in the order they were made, outside the breaker's lock.</summary>
public sealed class BreakerNotificationTests
{
    [Fact]
    public void Observers_run_outside_the_breakers_lock()
    {
        using var rig = new BreakerRig(TimerFiring.OnTime);
        var breakerLock = typeof(ComponentCircuitBreaker).GetField("_lock", BindingFlags.NonPublic | BindingFlags.Instance)!.GetValue(rig.Breaker)!;
        var heldDuringAnnouncement = new List<bool>();
        rig.Breaker.StateChanged += _ => heldDuringAnnouncement.Add(Monitor.IsEntered(breakerLock));
        rig.Open();
        rig.Time.Advance(TimeSpan.FromSeconds(5));
        rig.Breaker.Isolate("ops", "check");
        rig.Breaker.Reset("ops");
        Assert.Equal([false, false, false, false], heldDuringAnnouncement);
    }

    [Fact]
    public void A_change_made_by_an_observer_is_announced_after_the_one_it_reacts_to()
    {
        using var rig = new BreakerRig(TimerFiring.OnTime);
        var seen = new List<(BreakerState To, int Generation)>();
        rig.Breaker.StateChanged += c =>
        {
            seen.Add((c.To, c.Generation));
            if (c.To == BreakerState.Open) rig.Breaker.Isolate("auto", "escalate on open"); // re-entrant change
        };
        rig.Call(success: false);
        rig.Call(success: false);
        Assert.Equal(BreakerState.Isolated, rig.Breaker.State);
        Assert.Equal([BreakerState.Open, BreakerState.Isolated], seen.Select(s => s.To));
        Assert.Equal(seen[0].Generation + 1, seen[1].Generation);
    }

    [Fact]
    public void A_throwing_observer_does_not_stop_later_announcements()
    {
        using var rig = new BreakerRig(TimerFiring.OnTime);
        rig.Breaker.StateChanged += _ => throw new InvalidOperationException("observer bug");
        rig.Open();
        rig.Breaker.Reset("ops");
        Assert.Equal([BreakerState.Open, BreakerState.Closed], rig.Changes.Select(c => c.To));
    }

    [Fact]
    public void Concurrent_changes_reach_observers_in_generation_order_each_once()
    {
        const int threads = 4, rounds = 300;
        using var rig = new BreakerRig(TimerFiring.OnTime, o => o.MinimumThroughput = 1);
        var first = rig.Breaker.GetSnapshot().Generation;
        using var start = new Barrier(threads);
        var workers = Enumerable.Range(0, threads).Select(t => new Thread(() =>
        {
            start.SignalAndWait();
            for (var i = 0; i < rounds; i++)
            {
                switch ((i + t) % 3)
                {
                    case 0: rig.Breaker.Isolate($"op{t}", "drill"); break;
                    case 1: rig.Breaker.Reset($"op{t}"); break;
                    default:
                        if (rig.Breaker.TryAcquire(out var permit)) rig.Breaker.Record(permit, success: false);
                        break;
                }
            }
        })).ToArray();
        foreach (var worker in workers) worker.Start();
        foreach (var worker in workers) worker.Join();

        var last = rig.Breaker.GetSnapshot().Generation;
        var changes = rig.Changes.ToArray();
        Assert.Equal(Enumerable.Range(first + 1, last - first), changes.Select(c => c.Generation));
        for (var i = 1; i < changes.Length; i++) Assert.Equal(changes[i - 1].To, changes[i].From);
    }

    [Fact]
    public async Task The_bus_hears_opening_and_closing_once_each_and_in_order()
    {
        await using var system = Scenarios.TestSystems.Create(new FakeTimeProvider(FakeTimeProviderExtensions.TestStart));
        var bus = system.Bus;
        var events = new List<SystemEvent>();
        bus.Subscribe(events.Add);
        using var rig = new BreakerRig(TimerFiring.OnTime, bus: bus);
        rig.Open();
        rig.Time.Advance(TimeSpan.FromSeconds(5));
        Assert.True(rig.Breaker.TryAcquire(out var trial));
        rig.Breaker.Record(trial, success: false);           // reopening: no second failure event
        rig.Time.Advance(TimeSpan.FromSeconds(5));
        Assert.True(rig.Breaker.TryAcquire(out trial));
        rig.Breaker.Record(trial, success: true);
        bus.ProcessPending();
        Assert.Equal([EventType.FailSupport, EventType.Recovered], events.Where(e => e.Component == BreakerRig.Component).Select(e => e.Type));
    }
}
