using Degradation;
using Degradation.Storage.File;
using Microsoft.Extensions.Hosting;
using TradingHost.Simulation;

namespace TradingHost.Hosting;

/// <summary>
/// Wires the simulated trading dependencies into the degradation system at host start: the file WAL and write buffer
/// behind the database writer, one probe per dependency, the recovery steps of every stage, the order-book fallback,
/// and the market-data ticker; starts the probes and the recovery orchestrator (which picks up the cold-start run).
/// Registered after <c>AddGracefulDegradation()</c>, so it starts after the system and stops before it.
/// </summary>
internal sealed class TradingSimulationService(
    DegradationSystem system,
    TimeProvider time,
    SimulationSettings settings,
    ProbeRunner probes,
    RecoveryOrchestrator orchestrator,
    ComponentFallbackCoordinator fallbacks,
    SimulatedBroker broker,
    SimulatedMarketData marketData,
    SimulatedRiskService risk,
    SimulatedDatabase database,
    SimulatedOrderbookFeed orderbook,
    PositionBook book,
    DbWriter writer,
    SimulationCaches caches) : IHostedService
{
    private FileWalStore? _wal;
    private WriteBuffer? _buffer;
    private ITimer? _ticker;

    public WriteBuffer Buffer => _buffer ?? throw new InvalidOperationException("The host has not started.");

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        _wal = await FileWalStore.OpenAsync(new FileWalStoreOptions { DirectoryPath = settings.WalDirectory, TimeProvider = time }, cancellationToken);
        _buffer = await WriteBuffer.OpenAsync(system, _wal, new DatabaseWriteTarget(database), cancellationToken);
        writer.Start(_buffer);

        var every = new ProbeSettings { Interval = SimulationDefaults.ProbeInterval };
        probes.Add(new BrokerProbe(broker), every);
        probes.Add(new MarketDataProbe(marketData, system.Policy), every);
        probes.Add(new RiskProbe(risk), every);
        probes.Add(new OrderbookProbe(orderbook), every);

        orchestrator.AddStep(RecoveryStage.ConnectBroker, new ReconnectBrokerStep(broker));
        orchestrator.AddStep(RecoveryStage.CatchupMarketData, new CatchUpMarketDataStep(marketData, system.Policy));
        orchestrator.AddStep(RecoveryStage.CatchupMarketData, new CacheInvalidationStep(caches.Positions, caches.Quotes));
        orchestrator.AddStep(RecoveryStage.VerifyRisk, new PositionReconciliationStep(
            _ => ValueTask.FromResult(book.Snapshot()),
            async ct => await broker.GetPositionsAsync(ct)));
        orchestrator.AddStep(RecoveryStage.VerifyRisk, new VerifyRiskStep(risk));
        orchestrator.AddStep(RecoveryStage.VerifyRisk, new ReplayBufferStep(writer));

        fallbacks.Register(new RestPollingFallback(orderbook));
        fallbacks.Start();

        _ticker = time.CreateTimer(_ =>
        {
            marketData.Tick();
            caches.Quotes.Set("ES", 5000m, "feed");
            orderbook.ReadTopOfBook();
        }, null, TimeSpan.Zero, SimulationDefaults.MarketDataTick);
        probes.Start();
        orchestrator.Start();
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (_ticker is not null) await _ticker.DisposeAsync();
        await orchestrator.StopAsync();
        await probes.StopAsync();
        fallbacks.Dispose();
        await writer.DisposeAsync();
        if (_buffer is not null) await _buffer.DisposeAsync();
        if (_wal is not null) await _wal.DisposeAsync();
    }
}

/// <summary>Per-run settings of the simulation host.</summary>
public sealed record SimulationSettings(string WalDirectory);

/// <summary>Caches invalidated by recovery (no stale value is served after a reconnect).</summary>
public sealed class SimulationCaches(DegradationPolicy policy, TimeProvider time)
{
    public StalenessCache<string, decimal> Positions { get; } = StalenessCache<string, decimal>.ForPositions(policy.Options, time);
    public StalenessCache<string, decimal> Quotes { get; } = StalenessCache<string, decimal>.ForMarketData(policy.Options, time, "quotes");
}
