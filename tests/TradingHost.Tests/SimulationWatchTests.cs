using TradingHost.Simulation;
using Xunit;

namespace TradingHost.Tests;

/// <summary>The fixture's watchdog fails a hung or stalled run with the reason, and never a run that is only slow.</summary>
public sealed class SimulationWatchTests
{
    private static readonly TimeSpan Limit = TimeSpan.FromMinutes(3);
    private static readonly TimeSpan Sample = TimeSpan.FromSeconds(5);

    [Fact]
    public void A_slow_run_is_never_failed_however_long_it_takes()
    {
        var progress = new SimulationProgress();
        var watch = new SimulationWatch(progress, Limit);
        // Twenty steps (0.1 s of simulated time) per 5 s sample, and only one step in 500 settled: a machine far busier
        // than any CI run has seen, where every other step waits out its settle limit.
        var step = 0;
        for (var sample = 1; sample <= 10_000; sample++)
        {
            for (var i = 0; i < 20; i++)
                progress.Stepped(++step % 500 == 0 ? null : "the strategy loop to catch up");
            Assert.Null(watch.Check(sample * Sample));
        }
    }

    [Fact]
    public void A_clock_that_stands_still_fails_the_run_as_hung_once_the_limit_has_passed()
    {
        var progress = new SimulationProgress();
        var watch = new SimulationWatch(progress, Limit);
        progress.Stepped(null);
        Assert.Null(watch.Check(Sample));
        Assert.Null(watch.Check(Sample + Limit - TimeSpan.FromTicks(1)));
        var reason = watch.Check(Sample + Limit);
        Assert.NotNull(reason);
        Assert.Contains("stood still", reason, StringComparison.Ordinal);
    }

    [Fact]
    public void A_clock_that_moves_only_because_no_step_ever_settles_fails_the_run_naming_what_it_waited_for()
    {
        var progress = new SimulationProgress();
        var watch = new SimulationWatch(progress, Limit);
        progress.Stepped(null);
        Assert.Null(watch.Check(Sample));
        var elapsed = Sample;
        string? reason = null;
        while (reason is null && elapsed < Sample + Limit + Limit)
        {
            elapsed += Sample;
            progress.Stepped("the strategy loop to catch up");
            reason = watch.Check(elapsed);
        }
        Assert.Equal(Sample + Limit, elapsed);
        Assert.NotNull(reason);
        Assert.Contains("stalled", reason, StringComparison.Ordinal);
        Assert.Contains("the strategy loop to catch up", reason, StringComparison.Ordinal);
    }

    [Fact]
    public void One_settled_step_restarts_the_stall_count()
    {
        var progress = new SimulationProgress();
        var watch = new SimulationWatch(progress, Limit);
        progress.Stepped("the database writer to go idle");
        Assert.Null(watch.Check(Limit - Sample));
        progress.Stepped(null);
        Assert.Null(watch.Check(Limit));
        progress.Stepped("the database writer to go idle");
        Assert.Null(watch.Check(Limit + Limit - Sample));
        Assert.NotNull(watch.Check(Limit + Limit));
    }
}
