using TradingHost.Simulation;

namespace TradingHost.Tests;

/// <summary>
/// Tells a run that can no longer finish from a slow one, from samples of its <see cref="SimulationProgress"/> taken
/// over real time. A busy machine slows the simulated clock down but it keeps moving, and now and then a step's work
/// finishes before the next; a hung run's clock stands still; a stalled run's clock still moves, but only because the
/// clock gives up waiting after each step: something the run waits for is blocked and never finishes.
/// </summary>
/// <param name="progress">The run's progress.</param>
/// <param name="limit">How long (real time) the clock may stand still, or every step go unsettled, before the run fails.</param>
public sealed class SimulationWatch(SimulationProgress progress, TimeSpan limit)
{
    private long _steps = progress.Steps;
    private long _settledSteps = progress.SettledSteps;
    private TimeSpan _movedAt;
    private TimeSpan _settledAt;

    /// <summary>Samples the progress; returns why the run cannot finish, or null while it still can.</summary>
    /// <param name="elapsed">Real time since the watch began (non-decreasing between calls).</param>
    public string? Check(TimeSpan elapsed)
    {
        var steps = progress.Steps;
        var settled = progress.SettledSteps;
        if (steps != _steps)
        {
            _steps = steps;
            _movedAt = elapsed;
        }
        if (settled != _settledSteps)
        {
            _settledSteps = settled;
            _settledAt = elapsed;
        }
        if (elapsed - _movedAt >= limit)
            return $"The simulated clock stood still for {limit.TotalMinutes:0.#} minutes at step {steps:N0}: the run hung.";
        if (elapsed - _settledAt >= limit)
            return $"Every clock step for {limit.TotalMinutes:0.#} minutes (up to step {steps:N0}) was taken before the work of the " +
                   $"previous one had finished, still waiting for {progress.LastUnsettledBy ?? "nothing named"}: the run stalled " +
                   "on something that never finishes (a blocked thread).";
        return null;
    }
}
