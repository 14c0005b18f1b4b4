using Degradation;

namespace OperatorConsole.Simulation;

/// <summary>A fault the simulation can inject: which component fails, and with what reason.</summary>
public sealed record Fault(string Name, ComponentId Component, ReasonCode Reason)
{
    public static IReadOnlyList<Fault> All { get; } =
    [
        new("broker", ComponentId.Broker, ReasonCode.BrokerDisconnect),
        new("market_data", ComponentId.MarketData, ReasonCode.MarketDataStale),
        new("risk", ComponentId.Risk, ReasonCode.RiskTimeout),
        new("db", ComponentId.Db, ReasonCode.DbWriteFailBuffered),
        new("alerts", ComponentId.Alerts, ReasonCode.AlertsChannelDown),
        new("position", ComponentId.Broker, ReasonCode.BrokerMismatch),
    ];

    public static Fault? Find(string name) => All.FirstOrDefault(f => string.Equals(f.Name, name, StringComparison.Ordinal));
}
