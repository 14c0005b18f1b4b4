namespace TradingHost.Simulation;

/// <summary>
/// Simulated time taken so far across every scenario of a run, counted in clock steps. A watcher (the test fixture)
/// tells a hung run, whose clock stops moving, from a slow one on a busy machine, whose clock moves slowly.
/// </summary>
public sealed class SimulationProgress
{
    private long _steps;

    /// <summary>Clock steps taken so far, by every clock that reported here.</summary>
    public long Steps => Interlocked.Read(ref _steps);

    internal void Stepped() => Interlocked.Increment(ref _steps);
}
