namespace Degradation.Load;

/// <summary>What a message carries; reference data is always <see cref="MessagePriority.Low"/>.</summary>
public enum MarketDataKind : byte
{
    /// <summary>Trades.</summary>
    Trades = 0,
    /// <summary>Quotes.</summary>
    Quotes = 1,
    /// <summary>Reference data updates.</summary>
    ReferenceData = 2,
}
