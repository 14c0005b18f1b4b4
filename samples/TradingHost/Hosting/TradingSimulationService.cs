using Degradation;
using Degradation.Caching;
using Degradation.Health;
using Degradation.State;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using TradingHost.Simulation;

namespace TradingHost.Hosting;

/// <summary>
/// The application side of the host: registers the order-book REST fallback, starts the database writer and the
/// market-data ticker. Registered after <c>AddGracefulDegradation()</c>, so it starts after the degradation system
/// (probes, recovery orchestrator, write buffer) and stops before it. The database writer is resolved in
/// <see cref="StartAsync"/>: its write buffer opens when the degradation system starts, after this service is built.
/// </summary>
internal sealed class TradingSimulationService(
    TimeProvider time,
    ComponentFallbackCoordinator fallbacks,
    SimulatedMarketData marketData,
    SimulatedOrderbookFeed orderbook,
    IServiceProvider services,
    SimulationCaches caches) : IHostedService
{
    private ITimer? _ticker;
    private DbWriter? _writer;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        fallbacks.Register(new RestPollingFallback(orderbook));
        _writer = services.GetRequiredService<DbWriter>();
        _writer.Start();
        _ticker = time.CreateTimer(_ =>
        {
            marketData.Tick();
            caches.Quotes.Set("ES", 5000m, "feed");
            orderbook.ReadTopOfBook();
        }, null, TimeSpan.Zero, SimulationDefaults.MarketDataTick);
        return Task.CompletedTask;
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (_ticker is not null) await _ticker.DisposeAsync();
        if (_writer is not null) await _writer.DisposeAsync();
    }
}

/// <summary>Caches invalidated by recovery (no stale value is served after a reconnect).</summary>
public sealed class SimulationCaches(DegradationPolicy policy, TimeProvider time)
{
    public StalenessCache<string, decimal> Positions { get; } = StalenessCache<string, decimal>.ForPositions(policy.Options, time);
    public StalenessCache<string, decimal> Quotes { get; } = StalenessCache<string, decimal>.ForMarketData(policy.Options, time, "quotes");
}
