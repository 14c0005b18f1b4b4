using Degradation;
using Degradation.Health;
using Degradation.Probes;
using Degradation.State;

namespace TradingHost.Simulation;

/// <summary>Pings the broker; a refused or hung ping is a failure (reported as broker.disconnect).</summary>
public sealed class BrokerProbe(SimulatedBroker broker) : IProbe
{
    public ComponentId Component => ComponentId.Broker;

    public async ValueTask<ProbeResult> ProbeAsync(CancellationToken cancellationToken)
    {
        try
        {
            await broker.PingAsync(cancellationToken).ConfigureAwait(false);
            return ProbeResult.Healthy();
        }
        catch (DependencyUnavailableException ex)
        {
            return ProbeResult.Unhealthy(details: ex.Message, transient: ex.Transient);
        }
    }
}

/// <summary>Checks the age of the last market-data tick against <see cref="DegradationOptions.MarketDataStaleMs"/>.</summary>
public sealed class MarketDataProbe(SimulatedMarketData feed, DegradationPolicy policy) : IProbe
{
    private readonly TimeSpan _staleAfter = TimeSpan.FromMilliseconds(policy.Options.MarketDataStaleMs);

    public ComponentId Component => ComponentId.MarketData;

    public ValueTask<ProbeResult> ProbeAsync(CancellationToken cancellationToken)
    {
        var age = feed.Age;
        if (age > _staleAfter)
            return ValueTask.FromResult(ProbeResult.Unhealthy(ReasonCode.MarketDataStale, $"last tick {age.TotalSeconds:0.0} s ago"));
        if (feed.QualityLow)
            return ValueTask.FromResult(ProbeResult.Degraded(0.5, details: "gappy ticks"));
        return ValueTask.FromResult(ProbeResult.Healthy());
    }
}

/// <summary>Calls the risk service; a call that hangs past RiskTimeoutMs is a timeout (risk.timeout after a streak).</summary>
public sealed class RiskProbe(SimulatedRiskService risk) : IProbe
{
    public ComponentId Component => ComponentId.Risk;

    public async ValueTask<ProbeResult> ProbeAsync(CancellationToken cancellationToken)
    {
        try
        {
            await risk.CheckAsync(cancellationToken).ConfigureAwait(false);
            return ProbeResult.Healthy();
        }
        catch (DependencyUnavailableException ex)
        {
            return ProbeResult.Unhealthy(details: ex.Message);
        }
    }
}

/// <summary>Checks the optional order-book websocket.</summary>
public sealed class OrderbookProbe(SimulatedOrderbookFeed feed) : IProbe
{
    public static readonly ComponentId Id = new("orderbook-ws");

    public ComponentId Component => Id;

    public ValueTask<ProbeResult> ProbeAsync(CancellationToken cancellationToken) =>
        ValueTask.FromResult(feed.Fault.IsDown ? ProbeResult.Unhealthy(details: "websocket closed") : ProbeResult.Healthy());
}

/// <summary>The order-book fallback: poll the order book over REST while the websocket is down.</summary>
public sealed class RestPollingFallback(SimulatedOrderbookFeed feed) : IComponentFallback
{
    public const string StrategyName = "rest-polling";

    public string Name => StrategyName;

    public void Activate(ComponentId component, string issue) => feed.UseRestPolling = true;

    public void Deactivate(ComponentId component) => feed.UseRestPolling = false;
}
