using Degradation.Tests.State;

namespace Degradation.Tests.Acceptance;

/// <summary>
/// The trading gate's permissions in every mode and recovery stage. The gate has no setter: only the state machine
/// writes it (rule 1 in docs/RULES.md), so each test reaches its mode
/// through real transitions.
/// </summary>
public sealed class TradingGateAcceptanceTests : IDisposable
{
    private readonly List<SystemDriver> _drivers = [];

    private TradingGate GateIn(SystemMode mode, RecoveryStage? stage = null)
    {
        var driver = SystemDriver.Create().To(mode, stage);
        _drivers.Add(driver);
        return driver.Gate;
    }

    /// <summary>xunit disposes the test class after each test: the systems the test reached its modes with go with it.</summary>
    public void Dispose()
    {
        foreach (var driver in _drivers) driver.Dispose();
    }

    [Fact]
    public void test_normal_mode_all_allowed()
    {
        var gate = GateIn(SystemMode.Normal);
        foreach (var action in Enum.GetValues<ActionType>()) Assert.True(gate.Allows(action));
    }

    [Fact]
    public void test_degraded_mode_limited()
    {
        var gate = GateIn(SystemMode.Degraded);
        Assert.True(gate.Allows(ActionType.Send));
        Assert.True(gate.Allows(ActionType.Cancel));
        Assert.True(gate.Allows(ActionType.Query));
        var open = gate.Check(ActionType.Open);
        Assert.True(open.Allowed);
        Assert.NotNull(open.Advice);
    }

    [Fact]
    public void test_safe_mode_no_new_positions()
    {
        var gate = GateIn(SystemMode.SafeMode);
        Assert.False(gate.Allows(ActionType.Open));
        Assert.False(gate.Allows(ActionType.Send));
        Assert.False(gate.Allows(ActionType.Amend));
        Assert.True(gate.Allows(ActionType.Cancel));
        Assert.True(gate.Allows(ActionType.ReduceOnly));
        Assert.True(gate.Allows(ActionType.Query));
    }

    [Fact]
    public void test_safe_mode_cancel_best_effort()
    {
        var cancel = GateIn(SystemMode.SafeMode).Check(ActionType.Cancel);
        Assert.True(cancel.Allowed);
        Assert.Contains("best-effort", cancel.Advice!.ToLowerInvariant());
    }

    [Fact]
    public void test_safe_mode_disconnected_minimal()
    {
        var gate = GateIn(SystemMode.SafeModeDisconnected);
        Assert.False(gate.Allows(ActionType.Open));
        Assert.False(gate.Allows(ActionType.Send));
        Assert.False(gate.Allows(ActionType.Cancel));
        Assert.True(gate.Allows(ActionType.Query)); // local only
        var cancel = gate.Check(ActionType.Cancel);
        Assert.False(cancel.Allowed);
        Assert.Contains("disconnected", cancel.Advice!.ToLowerInvariant());
    }

    [Fact]
    public void test_halt_mode_query_only()
    {
        var gate = GateIn(SystemMode.Halt);
        Assert.False(gate.Allows(ActionType.Open));
        Assert.False(gate.Allows(ActionType.Send));
        Assert.False(gate.Allows(ActionType.Cancel));
        Assert.True(gate.Allows(ActionType.Query));
    }

    [Fact]
    public void test_recovery_connect_broker_stage()
    {
        var gate = GateIn(SystemMode.Recovering, RecoveryStage.ConnectBroker);
        Assert.True(gate.Allows(ActionType.Query));
        Assert.False(gate.Allows(ActionType.Cancel));
        Assert.False(gate.Allows(ActionType.Open));
    }

    [Fact]
    public void test_recovery_verify_risk_stage()
    {
        var gate = GateIn(SystemMode.Recovering, RecoveryStage.VerifyRisk);
        Assert.True(gate.Allows(ActionType.Query));
        Assert.True(gate.Allows(ActionType.Cancel));
        Assert.False(gate.Allows(ActionType.Open));
    }

    [Fact]
    public void test_recovery_ready_stage()
    {
        var gate = GateIn(SystemMode.Recovering, RecoveryStage.Ready);
        Assert.True(gate.Allows(ActionType.Query));
        Assert.True(gate.Allows(ActionType.Cancel));
        Assert.True(gate.Allows(ActionType.ReduceOnly));
        Assert.False(gate.Allows(ActionType.Open));
    }
}
