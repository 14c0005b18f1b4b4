using TradingHost.Reporting;

namespace TradingHost.Scenarios;

/// <summary>What one scenario measured, and whether it met its expectation.</summary>
public sealed class ScenarioResult
{
    public required string Name { get; init; }
    public required string Description { get; init; }
    public bool ExpectationMet { get; set; }
    public List<string> Failures { get; } = [];
    /// <summary>Simulated milliseconds from fault injection to the gate refusing sends.</summary>
    public double? FaultToGateClosedMs { get; set; }
    /// <summary>Order decisions made after a must-deliver fault was published that were still allowed to send (must be 0).</summary>
    public long AllowedAfterMustDeliver { get; set; }
    /// <summary>Must-deliver events the scenario published with a fence behind them.</summary>
    public int MustDeliverEvents { get; set; }
    /// <summary>Send decisions checked while a fence was set (all of them had to be refused).</summary>
    public long SendsCheckedAfterFence { get; set; }
    public Dictionary<string, long> AllowedByMode { get; } = [];
    public Dictionary<string, long> RefusedByMode { get; } = [];
    public long EntriesBuffered { get; set; }
    public long EntriesReplayed { get; set; }
    public long EntriesLost { get; set; }
    public long DuplicateOrders { get; set; }
    public long DuplicateRows { get; set; }
    /// <summary>Simulated milliseconds from the fault being cleared to the gate reopening (Normal or Degraded).</summary>
    public double? RecoveryMs { get; set; }
    public List<string> Transitions { get; } = [];
    public List<string> ExpectedTransitions { get; } = [];
    public double RealSeconds { get; set; }
    /// <summary>Order decisions per real second the strategy made (each one checked the gate); depends on the machine.</summary>
    public double DecisionsPerSecond { get; set; }
    /// <summary>Order decisions per simulated second the strategy made: its configured rate, whatever the machine's load.</summary>
    public double DecisionsPerSimulatedSecond { get; set; }
    /// <summary>Database rows were written in order-number order (the replay kept the original order).</summary>
    public bool RowsInOrder { get; set; } = true;
    /// <summary>Scenario-specific facts (retries found at the broker, load levels, fallback reads…).</summary>
    public List<string> Notes { get; } = [];
    /// <summary>The scenario over time (mode, decisions, writes, faults): what the HTML report draws.</summary>
    public ScenarioTimeline Timeline { get; } = new();

    public void Expect(bool condition, string failure)
    {
        if (!condition) Failures.Add(failure);
    }
}
