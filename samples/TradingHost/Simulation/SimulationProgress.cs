namespace TradingHost.Simulation;

/// <summary>
/// Simulated time taken so far across every scenario of a run, counted in clock steps. A watcher (the test fixture)
/// tells a hung run, whose clock stops moving, from a slow one on a busy machine, whose clock moves slowly, and both
/// from a stalled one, whose clock still moves but only because no step's work ever finishes.
/// </summary>
public sealed class SimulationProgress
{
    private long _steps;
    private long _settledSteps;
    private volatile string? _lastUnsettledBy;

    /// <summary>Clock steps taken so far, by every clock that reported here.</summary>
    public long Steps => Interlocked.Read(ref _steps);

    /// <summary>Of <see cref="Steps"/>, those taken once the work of the previous step had finished.</summary>
    public long SettledSteps => Interlocked.Read(ref _settledSteps);

    /// <summary>What the last step taken without settling was still waiting for, or null if every step settled.</summary>
    public string? LastUnsettledBy => _lastUnsettledBy;

    /// <summary>Counts one step; <paramref name="unsettledBy"/> names what it did not wait out, null if it settled.</summary>
    internal void Stepped(string? unsettledBy)
    {
        if (unsettledBy is null) Interlocked.Increment(ref _settledSteps);
        else _lastUnsettledBy = unsettledBy;
        Interlocked.Increment(ref _steps);
    }
}
