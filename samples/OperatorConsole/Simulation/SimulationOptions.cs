namespace OperatorConsole.Simulation;

/// <summary>Configuration section <c>Simulation</c>.</summary>
public sealed class SimulationOptions
{
    /// <summary>How often the strategy asks the gate whether it may send an order.</summary>
    public int OrderIntervalMs { get; set; } = 250;
    /// <summary>How often healthy components heartbeat and the recovery driver advances a stage.</summary>
    public int HeartbeatIntervalMs { get; set; } = 1000;
    /// <summary>When above zero, a random fault is injected this often and healed after <see cref="ChaosFaultSeconds"/>.</summary>
    public int ChaosIntervalSeconds { get; set; }
    /// <summary>How long a chaos fault lasts.</summary>
    public int ChaosFaultSeconds { get; set; } = 15;
    /// <summary>Seed of the chaos schedule (printed at start), so a run can be replayed.</summary>
    public int ChaosSeed { get; set; } = 42;
}
