using TradingHost.Scenarios.Catalog;

namespace TradingHost.Scenarios;

/// <summary>The scenarios, in the order the default run plays them.</summary>
public static class ScenarioCatalog
{
    /// <summary>A recovery run through every stage, landing in Normal.</summary>
    public static readonly string[] RecoveryToNormal =
        ["Recovering/CatchupMarketData", "Recovering/VerifyRisk", "Recovering/Ready", "Normal:recovery.complete"];

    public static IReadOnlyList<Scenario> Create() =>
    [
        new BrokerOutageScenario(),
        new OrderTimeoutScenario(),
        new StaleCacheScenario(),
        new StaleMarketDataScenario(),
        new RiskTimeoutScenario(),
        new HardRiskBreachScenario(),
        new PositionMismatchScenario(),
        new DatabaseOutageScenario(),
        new BufferOverflowScenario(),
        new OrderbookFallbackScenario(),
        new LoadSpikeScenario(),
        new OperatorOverrideScenario(),
        new VenueOutageScenario(),
        new StrategyHaltScenario(),
        new FirmWideHaltScenario(),
    ];

    public static string[] Then(string first, params string[] rest) => [first, .. rest];
}
