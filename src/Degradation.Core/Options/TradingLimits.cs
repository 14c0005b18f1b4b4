namespace Degradation;

/// <summary>Per-mode trading limits exposed by <see cref="GateDecision.Limits"/> (seed 004: Degraded caps order size at 50).</summary>
public sealed class TradingLimits
{
    /// <summary>The largest order quantity allowed in the mode; unlimited when null.</summary>
    public decimal? MaxOrderQuantity { get; set; }

    /// <summary>The largest number of open positions allowed in the mode; unlimited when null.</summary>
    public int? MaxOpenPositions { get; set; }

    /// <inheritdoc />
    public override string ToString() => $"MaxOrderQuantity={MaxOrderQuantity?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "none"}, MaxOpenPositions={MaxOpenPositions?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "none"}";
}
