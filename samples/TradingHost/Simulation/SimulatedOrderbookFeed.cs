namespace TradingHost.Simulation;

/// <summary>An optional websocket order-book feed with a REST polling fallback.</summary>
public sealed class SimulatedOrderbookFeed
{
    private long _webSocketReads;
    private long _restReads;
    private long _failedReads;
    private volatile bool _useRest;

    public FaultSwitch Fault { get; } = new();

    /// <summary>Set by the fallback strategy while the websocket component is failing.</summary>
    public bool UseRestPolling { get => _useRest; set => _useRest = value; }

    public long WebSocketReads => Interlocked.Read(ref _webSocketReads);

    public long RestFallbackReads => Interlocked.Read(ref _restReads);

    /// <summary>Reads that found the websocket down before the fallback took over.</summary>
    public long FailedReads => Interlocked.Read(ref _failedReads);

    /// <summary>Reads the top of book: by REST polling while the fallback is active, else from the websocket.</summary>
    public string? ReadTopOfBook()
    {
        if (_useRest)
        {
            Interlocked.Increment(ref _restReads);
            return "rest";
        }
        if (Fault.IsDown)
        {
            Interlocked.Increment(ref _failedReads);
            return null;
        }
        Interlocked.Increment(ref _webSocketReads);
        return "websocket";
    }
}
