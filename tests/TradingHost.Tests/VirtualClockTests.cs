using System.Collections.Concurrent;
using TradingHost.Simulation;
using Xunit;

namespace TradingHost.Tests;

/// <summary>The simulation's clock: who fires its timers, and how a step that could not wait for its work is reported.</summary>
public sealed class VirtualClockTests
{
    /// <summary>Only so a broken clock ends the test instead of the CI run; a healthy one needs a fraction of it.</summary>
    private static readonly TimeSpan HangGuard = TimeSpan.FromSeconds(90);

    [Fact]
    public void Timers_fire_on_the_clock_thread_never_on_a_thread_that_reads_the_time()
    {
        // A timer that fired on a reading thread once ran a continuation there that joined that same thread, and the
        // run stalled. Another thread reads the clock as fast as it can while every timer falls due.
        const int Timers = 200;
        using var clock = new VirtualClock(speed: 1_000);
        var firedOn = new ConcurrentQueue<string?>();
        using var allFired = new CountdownEvent(Timers);
        var timers = Enumerable.Range(1, Timers)
            .Select(i => clock.CreateTimer(_ =>
            {
                firedOn.Enqueue(Thread.CurrentThread.Name);
                allFired.Signal();
            }, null, TimeSpan.FromMilliseconds(i), Timeout.InfiniteTimeSpan))
            .ToList();
        var reading = true;
        var reader = new Thread(() =>
        {
            while (Volatile.Read(ref reading))
            {
                clock.GetUtcNow();
                clock.GetTimestamp();
            }
        }) { IsBackground = true, Name = "reader" };
        reader.Start();
        try
        {
            Assert.True(allFired.Wait(HangGuard), $"only {Timers - allFired.CurrentCount} of {Timers} timers fired");
        }
        finally
        {
            Volatile.Write(ref reading, false);
            reader.Join();
            timers.ForEach(t => t.Dispose());
        }
        Assert.All(firedOn, name => Assert.Equal("virtual-clock", name));
    }

    [Fact]
    public void A_step_taken_before_its_work_finished_is_counted_and_names_what_it_waited_for()
    {
        var progress = new SimulationProgress();
        using var clock = new VirtualClock(speed: 1_000, progress);
        clock.WaitFor("the test's work that never finishes", () => false);

        Assert.True(SpinWait.SpinUntil(() => progress.LastUnsettledBy is not null, HangGuard), "no step was taken");
        var settled = progress.SettledSteps;
        var steps = progress.Steps;
        Assert.True(SpinWait.SpinUntil(() => progress.Steps >= steps + 2, HangGuard), "the clock stopped");

        Assert.Equal("the test's work that never finishes", progress.LastUnsettledBy);
        Assert.Equal(settled, progress.SettledSteps);
        Assert.True(clock.UnsettledSteps >= 2, $"{clock.UnsettledSteps} unsettled steps counted");
    }

    [Theory]
    [InlineData("")]
    [InlineData(" ")]
    public void A_settle_condition_needs_a_name_for_the_report(string name)
    {
        using var clock = new VirtualClock(speed: 1_000);
        var ex = Assert.Throws<ArgumentException>(() => clock.WaitFor(name, () => true));
        Assert.Equal("name", ex.ParamName);
    }
}
