namespace Degradation.AspNetCore.Contracts;

/// <summary>The trading limits in force in the current mode (what an order must pass before it is sent).</summary>
public sealed class TradingLimitsResponse
{
    /// <summary>Largest order quantity, or null for unlimited.</summary>
    public decimal? MaxOrderQuantity { get; init; }
    /// <summary>Most open positions, or null for unlimited.</summary>
    public int? MaxOpenPositions { get; init; }
    /// <summary>Cash that must remain after an opening order, or null for none.</summary>
    public decimal? MinCashReserve { get; init; }
    /// <summary>True when an order that only reduces a position passes whatever the other limits say.</summary>
    public bool PreferClosing { get; init; }
}
