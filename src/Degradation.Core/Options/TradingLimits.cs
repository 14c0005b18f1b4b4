using System.Globalization;

namespace Degradation;

/// <summary>
/// Per-mode trading limits exposed by <see cref="GateDecision.Limits"/> (Degraded, by default: order quantity capped at 50,
/// a cash reserve of 1,000 kept, closing preferred). The gate says whether an action is allowed at all; the limits say how
/// much: call <see cref="Check"/> with the order before sending it.
/// </summary>
public sealed class TradingLimits : OptionsSection
{
    /// <summary>The largest order quantity allowed in the mode; unlimited when null.</summary>
    public decimal? MaxOrderQuantity { get; set => field = Settable(value); }

    /// <summary>The largest number of open positions allowed in the mode; unlimited when null.</summary>
    public int? MaxOpenPositions { get; set => field = Settable(value); }

    /// <summary>
    /// Cash that must remain after an opening order (available cash minus the order's cost); none when null. Closing
    /// orders free cash and are not held to it.
    /// </summary>
    public decimal? MinCashReserve { get; set => field = Settable(value); }

    /// <summary>
    /// Prefer closing positions over opening new ones: an order that only reduces a position is allowed whatever the
    /// other limits say (cutting risk is never blocked by a cap meant to slow risk-taking), while opening orders must
    /// pass every limit. When false, the quantity cap applies to closing orders too.
    /// </summary>
    public bool PreferClosing { get; set => field = Settable(value); }

    /// <summary>Checks <paramref name="order"/> against these limits; the verdict names the first limit it breaks.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A zero quantity, negative cash, cost or position count.</exception>
    public LimitVerdict Check(in OrderIntent order)
    {
        if (order.Quantity == 0) throw new ArgumentOutOfRangeException(nameof(order), order.Quantity, "An order quantity must not be zero.");
        if (order.AvailableCash < 0) throw new ArgumentOutOfRangeException(nameof(order), order.AvailableCash, "Available cash must not be negative.");
        if (order.OrderCost < 0) throw new ArgumentOutOfRangeException(nameof(order), order.OrderCost, "An order cost must not be negative.");
        if (order.OpenPositions < 0) throw new ArgumentOutOfRangeException(nameof(order), order.OpenPositions, "Open positions must not be negative.");

        var closing = order.IsClosing;
        if (closing && PreferClosing) return LimitVerdict.Pass;
        if (MaxOrderQuantity is { } max && Math.Abs(order.Quantity) > max)
            return LimitVerdict.Refuse(Format($"order quantity {Math.Abs(order.Quantity)} exceeds {nameof(MaxOrderQuantity)} {max}"));
        if (closing) return LimitVerdict.Pass;
        if (MaxOpenPositions is { } positions && order.CurrentPosition == 0 && order.OpenPositions >= positions)
            return LimitVerdict.Refuse(Format($"opening a position would exceed {nameof(MaxOpenPositions)} {positions} ({order.OpenPositions} open)"));
        if (MinCashReserve is { } reserve && order.AvailableCash - order.OrderCost < reserve)
            return LimitVerdict.Refuse(Format($"cash after the order {order.AvailableCash - order.OrderCost} would fall below {nameof(MinCashReserve)} {reserve}"));
        return LimitVerdict.Pass;
    }

    /// <inheritdoc />
    public override string ToString() => Format(
        $"MaxOrderQuantity={MaxOrderQuantity?.ToString(CultureInfo.InvariantCulture) ?? "none"}, MaxOpenPositions={MaxOpenPositions?.ToString(CultureInfo.InvariantCulture) ?? "none"}, MinCashReserve={MinCashReserve?.ToString(CultureInfo.InvariantCulture) ?? "none"}, PreferClosing={PreferClosing}");

    private static string Format(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
