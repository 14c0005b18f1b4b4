using Degradation;
using Microsoft.Extensions.Options;

namespace OperatorConsole.Simulation;

/// <summary>
/// The simulated trading app: starts the degradation system, heartbeats the healthy components, drives recovery
/// runs through their stages (standing in for the recovery orchestrator), checks the gate before every order, and
/// optionally injects random faults (seeded, so a run can be replayed).
/// </summary>
public sealed class TradingSimulation(
    DegradationSystem system, FaultInjector faults, TradingStats stats, IOptions<SimulationOptions> options,
    TimeProvider time, ILogger<TradingSimulation> logger) : BackgroundService
{
    private static readonly ComponentId[] Components = [ComponentId.Broker, ComponentId.MarketData, ComponentId.Risk, ComponentId.Db, ComponentId.Alerts];

    protected override Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var settings = options.Value;
        var loops = new List<Task>
        {
            Every(TimeSpan.FromMilliseconds(settings.HeartbeatIntervalMs), HeartbeatAndRecover, stoppingToken),
            Every(TimeSpan.FromMilliseconds(settings.OrderIntervalMs), TryToTrade, stoppingToken),
        };
        if (settings.ChaosIntervalSeconds > 0) loops.Add(ChaosAsync(settings, stoppingToken));
        return Task.WhenAll(loops);
    }

    // The hosted recovery orchestrator walks recovery runs through their stages; Normal still needs every
    // critical component reporting, so a silenced component holds the system in Recovering/Ready (or worse).
    private void HeartbeatAndRecover()
    {
        foreach (var component in Components)
            if (!faults.IsSilenced(component)) system.Heartbeat(component);
    }

    private void TryToTrade()
    {
        var decision = system.Gate.Check(ActionType.Send);
        if (decision.Allowed) stats.RecordSent();
        else stats.RecordBlocked(decision.Advice);
    }

    private async Task ChaosAsync(SimulationOptions settings, CancellationToken token)
    {
        var random = new Random(settings.ChaosSeed);
        logger.LogInformation("Chaos: a random fault every {Interval} s for {Duration} s, seed {Seed}", settings.ChaosIntervalSeconds, settings.ChaosFaultSeconds, settings.ChaosSeed);
        try
        {
            while (!token.IsCancellationRequested)
            {
                await Task.Delay(TimeSpan.FromSeconds(settings.ChaosIntervalSeconds), time, token);
                // Never the position mismatch: that one halts until an operator steps in.
                var fault = Fault.All[random.Next(Fault.All.Count - 1)];
                if (!faults.Inject(fault)) continue;
                logger.LogWarning("Chaos: injected {Fault}", fault.Name);
                await Task.Delay(TimeSpan.FromSeconds(settings.ChaosFaultSeconds), time, token);
                faults.Heal(fault);
                logger.LogInformation("Chaos: healed {Fault}", fault.Name);
            }
        }
        catch (OperationCanceledException) when (token.IsCancellationRequested)
        {
        }
    }

    private async Task Every(TimeSpan interval, Action action, CancellationToken token)
    {
        using var timer = new PeriodicTimer(interval, time);
        try
        {
            do
            {
                try { action(); }
                catch (Exception error) when (error is not OperationCanceledException)
                {
                    logger.LogError(error, "Simulation step failed");
                }
            } while (await timer.WaitForNextTickAsync(token));
        }
        catch (OperationCanceledException) when (token.IsCancellationRequested)
        {
        }
    }
}
