namespace Degradation.Tests.Gate;

/// <summary>Degraded trading rules: quantity cap, cash reserve, open positions, prefer closing.</summary>
public sealed class TradingLimitsCheckTests
{
    private static TradingLimits DegradedDefaults() => new DegradationOptions().TradingLimits[SystemMode.Degraded];

    [Fact]
    public void Degraded_defaults_cap_quantity_at_50_keep_a_1000_reserve_and_prefer_closing()
    {
        var limits = DegradedDefaults();
        Assert.Equal((50m, 1000m, true), (limits.MaxOrderQuantity, limits.MinCashReserve, limits.PreferClosing));
    }

    [Fact]
    public void An_opening_order_must_fit_the_quantity_cap_and_leave_the_cash_reserve()
    {
        var limits = DegradedDefaults();
        Assert.True(limits.Check(new OrderIntent(Quantity: 50, CurrentPosition: 0, AvailableCash: 6000, OrderCost: 5000)).Allowed);

        var tooBig = limits.Check(new OrderIntent(Quantity: 51, CurrentPosition: 0, AvailableCash: 1_000_000, OrderCost: 5100));
        Assert.False(tooBig.Allowed);
        Assert.Contains("order quantity 51 exceeds MaxOrderQuantity 50", tooBig.Violation);

        var reserve = limits.Check(new OrderIntent(Quantity: 10, CurrentPosition: 0, AvailableCash: 1500, OrderCost: 600));
        Assert.False(reserve.Allowed);
        Assert.Contains("cash after the order 900 would fall below MinCashReserve 1000", reserve.Violation);
    }

    [Fact]
    public void Without_cash_figures_an_opening_order_is_refused_by_the_reserve_fail_closed()
    {
        var verdict = DegradedDefaults().Check(new OrderIntent(Quantity: 1, CurrentPosition: 0));
        Assert.False(verdict.Allowed);
        Assert.Contains("MinCashReserve", verdict.Violation);
    }

    [Fact]
    public void Adding_to_a_position_is_opening_and_is_held_to_every_limit()
    {
        var limits = DegradedDefaults();
        var adding = new OrderIntent(Quantity: 10, CurrentPosition: 20, AvailableCash: 500, OrderCost: 100);
        Assert.False(adding.IsClosing);
        Assert.False(limits.Check(adding).Allowed);
    }

    [Fact]
    public void With_prefer_closing_a_reducing_order_passes_whatever_the_caps_say()
    {
        var limits = DegradedDefaults();
        var closing = new OrderIntent(Quantity: -80, CurrentPosition: 100, AvailableCash: 0, OrderCost: 0);
        Assert.True(closing.IsClosing);
        Assert.True(limits.Check(closing).Allowed);

        var flipping = new OrderIntent(Quantity: -120, CurrentPosition: 100, AvailableCash: 0);
        Assert.False(flipping.IsClosing); // it would open a short: not closing
        Assert.False(limits.Check(flipping).Allowed);
    }

    [Fact]
    public void Without_prefer_closing_the_quantity_cap_applies_to_closing_orders_too_but_not_the_reserve()
    {
        var limits = new TradingLimits { MaxOrderQuantity = 50, MinCashReserve = 1000, PreferClosing = false };
        Assert.False(limits.Check(new OrderIntent(Quantity: -80, CurrentPosition: 100)).Allowed);
        Assert.True(limits.Check(new OrderIntent(Quantity: -40, CurrentPosition: 100)).Allowed);
    }

    [Fact]
    public void Max_open_positions_refuses_a_new_instrument_only()
    {
        var limits = new TradingLimits { MaxOpenPositions = 3 };
        Assert.False(limits.Check(new OrderIntent(Quantity: 1, CurrentPosition: 0, OpenPositions: 3)).Allowed);
        Assert.True(limits.Check(new OrderIntent(Quantity: 1, CurrentPosition: 5, OpenPositions: 3)).Allowed);
    }

    [Fact]
    public void Nonsense_orders_are_rejected_naming_the_value()
    {
        var limits = DegradedDefaults();
        Assert.Throws<ArgumentOutOfRangeException>(() => limits.Check(new OrderIntent(Quantity: 0, CurrentPosition: 0)));
        Assert.Throws<ArgumentOutOfRangeException>(() => limits.Check(new OrderIntent(Quantity: 1, CurrentPosition: 0, AvailableCash: -1)));
        Assert.Throws<ArgumentOutOfRangeException>(() => limits.Check(new OrderIntent(Quantity: 1, CurrentPosition: 0, OrderCost: -1)));
    }

    [Fact]
    public void A_negative_cash_reserve_is_an_invalid_option_named_in_the_error()
    {
        var options = new DegradationOptions();
        options.TradingLimits[SystemMode.Degraded].MinCashReserve = -5;
        var error = Assert.Throws<DegradationOptionsException>(() => new DegradationPolicy(options));
        Assert.Contains("TradingLimits:Degraded:MinCashReserve must be >= 0 (was -5)", error.Message);
    }

    [Fact]
    public void The_gate_hands_the_degraded_limits_to_the_caller()
    {
        var decision = new DegradationPolicy(new DegradationOptions()).GetLimits(SystemMode.Degraded);
        Assert.NotNull(decision);
        Assert.True(decision.PreferClosing);
        Assert.Null(new DegradationPolicy(new DegradationOptions()).GetLimits(SystemMode.Normal));
    }
}
