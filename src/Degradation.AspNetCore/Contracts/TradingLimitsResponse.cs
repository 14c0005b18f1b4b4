namespace Degradation.AspNetCore.Contracts;

/// <summary>The trading limits in force in the current mode.</summary>
public sealed class TradingLimitsResponse
{
    /// <summary>Largest order quantity, or null for unlimited.</summary>
    public decimal? MaxOrderQuantity { get; init; }
    /// <summary>Most open positions, or null for unlimited.</summary>
    public int? MaxOpenPositions { get; init; }
}
