namespace Degradation;

/// <summary>What <see cref="TradingLimits.Check"/> decided about one order.</summary>
/// <param name="Allowed">True when the order fits the mode's limits.</param>
/// <param name="Violation">Why it does not, naming the limit and the values; null when allowed.</param>
public readonly record struct LimitVerdict(bool Allowed, string? Violation)
{
    /// <summary>The order fits.</summary>
    public static LimitVerdict Pass { get; } = new(true, null);

    /// <summary>The order breaks a limit, for the reason given.</summary>
    public static LimitVerdict Refuse(string violation) => new(false, violation);
}
