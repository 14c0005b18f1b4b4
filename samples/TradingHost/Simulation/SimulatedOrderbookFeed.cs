namespace TradingHost.Simulation;

/// <summary>An optional websocket order-book feed with a REST polling fallback (seed 004).</summary>
public sealed class SimulatedOrderbookFeed
{
    public FaultSwitch Fault { get; } = new();

    public int WebSocketReads { get; private set; }

    public int RestFallbackReads { get; private set; }

    /// <summary>Reads the top of book: from the websocket, or from REST polling while the websocket is down.</summary>
    public string ReadTopOfBook()
    {
        if (Fault.IsDown)
        {
            RestFallbackReads++;
            return "rest";
        }
        WebSocketReads++;
        return "websocket";
    }
}
