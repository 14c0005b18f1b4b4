using Degradation;
using Degradation.Caching;
using Degradation.Recovery;
using Degradation.State;
using TradingHost.Hosting;

namespace TradingHost.Simulation;

/// <summary>ConnectBroker: the broker must answer a ping.</summary>
public sealed class ReconnectBrokerStep(SimulatedBroker broker) : IRecoveryStep
{
    public string Name => "reconnect broker";

    public async ValueTask<RecoveryStepResult> ExecuteAsync(RecoveryStepContext context, CancellationToken cancellationToken)
    {
        await broker.PingAsync(cancellationToken).ConfigureAwait(false);
        return RecoveryStepResult.Success("broker answers");
    }
}

/// <summary>CatchupMarketData: ticks must be fresh again.</summary>
public sealed class CatchUpMarketDataStep(SimulatedMarketData feed, DegradationPolicy policy) : IRecoveryStep
{
    public string Name => "catch up market data";

    public ValueTask<RecoveryStepResult> ExecuteAsync(RecoveryStepContext context, CancellationToken cancellationToken) =>
        ValueTask.FromResult(feed.Age <= TimeSpan.FromMilliseconds(policy.Options.MarketDataStaleMs)
            ? RecoveryStepResult.Success()
            : RecoveryStepResult.Failure($"market data still stale ({feed.Age.TotalSeconds:0.0} s)"));
}

/// <summary>VerifyRisk: the risk service must answer and report no hard breach.</summary>
public sealed class VerifyRiskStep(SimulatedRiskService risk) : IRecoveryStep
{
    public string Name => "verify risk";

    public async ValueTask<RecoveryStepResult> ExecuteAsync(RecoveryStepContext context, CancellationToken cancellationToken)
    {
        await risk.CheckAsync(cancellationToken).ConfigureAwait(false);
        return risk.HardBreach
            ? RecoveryStepResult.Fatal(ComponentId.Risk, ReasonCode.RiskBreachHard, "hard limit still breached")
            : RecoveryStepResult.Success("limits ok");
    }
}

/// <summary>VerifyRisk: replays buffered database writes (a database still down leaves them buffered: it is optional).</summary>
public sealed class ReplayBufferStep(DbWriter writer) : IRecoveryStep
{
    public string Name => "replay write buffer";

    public async ValueTask<RecoveryStepResult> ExecuteAsync(RecoveryStepContext context, CancellationToken cancellationToken) =>
        RecoveryStepResult.Success(await writer.ReplayPendingAsync(cancellationToken).ConfigureAwait(false));
}

/// <summary>CatchupMarketData: drops cached positions and quotes so nothing captured before the outage is served.</summary>
public sealed class InvalidateCachesStep(SimulationCaches caches) : IRecoveryStep
{
    private readonly CacheInvalidationStep _inner = new(caches.Positions, caches.Quotes);

    public string Name => _inner.Name;

    public ValueTask<RecoveryStepResult> ExecuteAsync(RecoveryStepContext context, CancellationToken cancellationToken) =>
        _inner.ExecuteAsync(context, cancellationToken);
}

/// <summary>
/// VerifyRisk: the library's position reconciliation, book against broker; a difference is fatal (broker.mismatch → Halt).
/// Every comparison raises <see cref="PositionsReconciled"/> (the application's "positions reconciled" event).
/// </summary>
public sealed class ReconcilePositionsStep(PositionBook book, SimulatedBroker broker) : IRecoveryStep
{
    private readonly PositionReconciliationStep _inner = new(
        _ => ValueTask.FromResult(book.Snapshot()),
        async ct => await broker.GetPositionsAsync(ct).ConfigureAwait(false));

    public string Name => _inner.Name;

    /// <summary>positions_reconciled: raised after every comparison with its outcome.</summary>
    public event Action<PositionReconciliation>? PositionsReconciled
    {
        add => _inner.Reconciled += value;
        remove => _inner.Reconciled -= value;
    }

    public ValueTask<RecoveryStepResult> ExecuteAsync(RecoveryStepContext context, CancellationToken cancellationToken) =>
        _inner.ExecuteAsync(context, cancellationToken);
}
