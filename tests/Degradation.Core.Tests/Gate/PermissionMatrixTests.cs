using Degradation.Tests.State;

namespace Degradation.Tests.Gate;

/// <summary>docs/RULES.md, Permissions: every cell of the permission matrix, reached through real transitions, plus advice and limits.</summary>
public class PermissionMatrixTests
{
    // The table in docs/RULES.md, Permissions: mode/stage → Open, Send, Amend, Cancel, ReduceOnly, Query.
    private static readonly (SystemMode Mode, RecoveryStage? Stage, bool[] Allowed)[] Rows =
    [
        (SystemMode.Normal, null, [true, true, true, true, true, true]),
        (SystemMode.Degraded, null, [true, true, true, true, true, true]),
        (SystemMode.SafeMode, null, [false, false, false, true, true, true]),
        (SystemMode.SafeModeDisconnected, null, [false, false, false, false, false, true]),
        (SystemMode.Halt, null, [false, false, false, false, false, true]),
        (SystemMode.Recovering, RecoveryStage.ConnectBroker, [false, false, false, false, false, true]),
        (SystemMode.Recovering, RecoveryStage.CatchupMarketData, [false, false, false, false, false, true]),
        (SystemMode.Recovering, RecoveryStage.VerifyRisk, [false, false, false, true, false, true]),
        (SystemMode.Recovering, RecoveryStage.Ready, [false, false, false, true, true, true]),
    ];

    public static TheoryData<SystemMode, RecoveryStage?, ActionType, bool> Cells()
    {
        var data = new TheoryData<SystemMode, RecoveryStage?, ActionType, bool>();
        foreach (var (mode, stage, allowed) in Rows)
            for (var a = 0; a < 6; a++) data.Add(mode, stage, (ActionType)a, allowed[a]);
        return data;
    }

    [Fact]
    public void The_matrix_has_nine_rows_of_six_actions()
    {
        Assert.Equal(9, Rows.Length);
        Assert.Equal(6, Enum.GetValues<ActionType>().Length);
        Assert.Equal(54, Cells().Count);
    }

    [Theory]
    [MemberData(nameof(Cells))]
    public void Gate_reached_through_real_transitions_answers_each_cell(SystemMode mode, RecoveryStage? stage, ActionType action, bool expected)
    {
        using var driver = SystemDriver.Create().To(mode, stage);
        Assert.Equal(mode, driver.Gate.Mode);
        Assert.Equal(stage, driver.Gate.Stage);

        Assert.Equal(expected, driver.Gate.Allows(action));
        var decision = driver.Gate.Check(action);
        Assert.Equal(expected, decision.Allowed);
        Assert.Equal(mode, decision.Mode);
        Assert.Equal(stage, decision.Stage);
        Assert.Equal(expected, driver.Gate.Snapshot.Allows(action));
        if (!expected) Assert.False(string.IsNullOrWhiteSpace(decision.Advice)); // every refusal says why
    }

    [Theory]
    [MemberData(nameof(Cells))]
    public void Static_matrix_answers_each_cell(SystemMode mode, RecoveryStage? stage, ActionType action, bool expected) =>
        Assert.Equal(expected, PermissionMatrix.IsAllowed(mode, stage, action));

    [Fact]
    public void Degraded_open_is_allowed_with_a_restricted_warning_and_a_size_cap_of_50()
    {
        using var driver = SystemDriver.Create().ToDegraded();
        var gate = driver.Gate;
        var open = gate.Check(ActionType.Open);
        Assert.True(open.Allowed);
        Assert.Contains("restricted", open.Advice, StringComparison.OrdinalIgnoreCase);
        Assert.NotNull(open.Limits);
        Assert.Equal(50m, open.Limits!.MaxOrderQuantity);
        Assert.Equal(50m, gate.Check(ActionType.Send).Limits!.MaxOrderQuantity);
        Assert.Null(gate.Check(ActionType.Send).Advice);
    }

    [Fact]
    public void Normal_has_no_advice_and_no_limits()
    {
        using var driver = SystemDriver.Create().ToNormal();
        var gate = driver.Gate;
        foreach (var action in Enum.GetValues<ActionType>())
        {
            var decision = gate.Check(action);
            Assert.Null(decision.Advice);
            Assert.Null(decision.Limits);
        }
    }

    [Fact]
    public void Per_mode_limits_come_from_options()
    {
        using var driver = SystemDriver.Create(o => o.TradingLimits[SystemMode.Normal] = new TradingLimits { MaxOrderQuantity = 1000, MaxOpenPositions = 7 }).ToNormal();
        var limits = driver.Gate.Check(ActionType.Open).Limits;
        Assert.Equal(1000m, limits!.MaxOrderQuantity);
        Assert.Equal(7, limits.MaxOpenPositions);
    }

    [Fact]
    public void SafeMode_cancel_is_best_effort()
    {
        using var driver = SystemDriver.Create().ToSafeMode();
        var gate = driver.Gate;
        var cancel = gate.Check(ActionType.Cancel);
        Assert.True(cancel.Allowed);
        Assert.Contains("best-effort", cancel.Advice, StringComparison.OrdinalIgnoreCase);
        Assert.False(gate.Check(ActionType.Open).Allowed);
        Assert.False(string.IsNullOrEmpty(gate.Check(ActionType.Send).Advice));
    }

    [Fact]
    public void SafeModeDisconnected_rejects_cancel_as_disconnected_and_queries_come_from_cache()
    {
        using var driver = SystemDriver.Create().ToSafeModeDisconnected();
        var gate = driver.Gate;
        var cancel = gate.Check(ActionType.Cancel);
        Assert.False(cancel.Allowed);
        Assert.Contains("disconnected", cancel.Advice, StringComparison.OrdinalIgnoreCase);
        var query = gate.Check(ActionType.Query);
        Assert.True(query.Allowed);
        Assert.Contains("cache", query.Advice, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void Halt_says_manual_intervention_required()
    {
        using var driver = SystemDriver.Create().ToHalt();
        var gate = driver.Gate;
        foreach (var action in Enum.GetValues<ActionType>())
            Assert.Contains("manual intervention", gate.Check(action).Advice, StringComparison.OrdinalIgnoreCase);
    }

    [Theory]
    [InlineData(RecoveryStage.ConnectBroker, "connect_broker")]
    [InlineData(RecoveryStage.CatchupMarketData, "catchup_marketdata")]
    [InlineData(RecoveryStage.VerifyRisk, "verify_risk")]
    [InlineData(RecoveryStage.Ready, "ready")]
    public void Recovering_refusals_name_the_stage(RecoveryStage stage, string text)
    {
        using var openDriver = SystemDriver.Create().ToRecovering(stage);
        var open = openDriver.Gate.Check(ActionType.Open);
        Assert.False(open.Allowed);
        Assert.Contains(text, open.Advice, StringComparison.Ordinal);
    }

    [Fact]
    public void Decision_carries_the_reason_of_the_transition_into_the_mode()
    {
        using var driver = SystemDriver.Create().ToSafeModeDisconnected();
        Assert.Equal(ReasonCode.BrokerDisconnect, driver.Gate.Check(ActionType.Open).Reason);
        Assert.Equal(ReasonCode.BrokerDisconnect, driver.Gate.Snapshot.Reason);
    }

    [Fact]
    public void Advice_strings_are_preallocated_not_built_per_check()
    {
        using var driver = SystemDriver.Create().ToSafeMode();
        var gate = driver.Gate;
        Assert.Same(gate.Check(ActionType.Cancel).Advice, gate.Check(ActionType.Cancel).Advice);
        Assert.Same(gate.Check(ActionType.Open).Advice, gate.Check(ActionType.Open).Advice);
    }

    [Theory]
    [InlineData(6)]
    [InlineData(200)]
    [InlineData(255)]
    public void An_undefined_action_is_refused_and_never_throws(byte raw)
    {
        using var driver = SystemDriver.Create().ToNormal();
        var gate = driver.Gate;
        var action = (ActionType)raw;
        Assert.False(gate.Allows(action));
        var decision = gate.Check(action);
        Assert.False(decision.Allowed);
        Assert.Equal(PermissionMatrix.UnknownActionRejected, decision.Advice);
        Assert.Equal(SystemMode.Normal, decision.Mode);
    }

    [Fact]
    public void Options_can_tighten_a_mode_and_the_refusal_says_policy()
    {
        using var driver = SystemDriver.Create(o => o.DeniedActions[SystemMode.Degraded] = [ActionType.Open]).ToDegraded();
        Assert.False(driver.Gate.Allows(ActionType.Open));
        Assert.Equal(PermissionMatrix.PolicyRejected, driver.Gate.Check(ActionType.Open).Advice);
        Assert.True(driver.Gate.Allows(ActionType.Send));
    }

    [Fact]
    public void Denied_actions_cannot_loosen_anything()
    {
        // DeniedActions only removes permissions: the matrix bits are ANDed with the complement of the denial.
        using var driver = SystemDriver.Create(o => o.DeniedActions[SystemMode.Halt] = []).ToHalt();
        foreach (var action in Enum.GetValues<ActionType>())
            Assert.Equal(action == ActionType.Query, driver.Gate.Allows(action));
    }

    [Fact]
    public void Snapshot_is_immutable_and_replaced_on_every_transition()
    {
        using var driver = SystemDriver.Create().ToNormal();
        var before = driver.Gate.Snapshot;
        driver.Fail(ComponentId.MarketData, ReasonCode.MarketDataStale);
        var after = driver.Gate.Snapshot;
        Assert.NotSame(before, after);
        Assert.Equal(SystemMode.Normal, before.Mode);
        Assert.True(before.Allows(ActionType.Open));
        Assert.Equal(SystemMode.SafeMode, after.Mode);
        Assert.True(after.Sequence > before.Sequence);
        Assert.Equal(driver.Last.Sequence, after.Sequence);
    }

    [Fact]
    public void Allowed_mask_matches_the_matrix_for_every_row()
    {
        foreach (var (mode, stage, allowed) in Rows)
        {
            byte expected = 0;
            for (var a = 0; a < 6; a++) if (allowed[a]) expected |= (byte)(1 << a);
            Assert.Equal(expected, PermissionMatrix.AllowedMask(mode, stage));
        }
    }
}
