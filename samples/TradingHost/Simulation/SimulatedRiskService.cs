namespace TradingHost.Simulation;

/// <summary>A risk service that can time out, or report a hard limit breach.</summary>
public sealed class SimulatedRiskService(TimeProvider time)
{
    private volatile bool _hardBreach;

    public FaultSwitch Fault { get; } = new();

    public bool HardBreach => _hardBreach;

    public void BreachHardLimit() => _hardBreach = true;

    public void ClearBreach() => _hardBreach = false;

    public async Task CheckAsync(CancellationToken cancellationToken)
    {
        if (Fault.Kind is FaultKind.Hang or FaultKind.Slow)
            await Task.Delay(Timeout.InfiniteTimeSpan, time, cancellationToken).ConfigureAwait(false);
        await Task.Delay(TimeSpan.FromMilliseconds(1), time, cancellationToken).ConfigureAwait(false);
        if (Fault.IsDown) throw new DependencyUnavailableException("risk");
    }
}
