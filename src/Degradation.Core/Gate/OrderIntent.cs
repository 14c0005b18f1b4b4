namespace Degradation;

/// <summary>
/// An order the application is about to send, as <see cref="TradingLimits.Check"/> needs it. Quantities are signed:
/// positive buys, negative sells.
/// </summary>
/// <param name="Quantity">The order's signed quantity (not zero).</param>
/// <param name="CurrentPosition">The signed position held in the instrument before the order.</param>
/// <param name="AvailableCash">Cash available before the order.</param>
/// <param name="OrderCost">Cash the order would tie up (price × quantity plus fees, margin, …); 0 when it costs none.</param>
/// <param name="OpenPositions">Instruments with an open position before the order.</param>
public readonly record struct OrderIntent(decimal Quantity, decimal CurrentPosition, decimal AvailableCash = 0m, decimal OrderCost = 0m, int OpenPositions = 0)
{
    /// <summary>
    /// True when the order only reduces the current position (opposite sign, not larger): it closes risk and cannot
    /// flip the position to the other side.
    /// </summary>
    public bool IsClosing => CurrentPosition != 0 && Quantity != 0 && Math.Sign(Quantity) != Math.Sign(CurrentPosition)
        && Math.Abs(Quantity) <= Math.Abs(CurrentPosition);
}
