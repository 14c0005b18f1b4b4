using Degradation.Tests.State;

namespace Degradation.Tests.Gate;

/// <summary>
/// The gate object itself, beyond the permission matrix: the optional refusal counter, values outside
/// <see cref="ActionType"/>, the decision's text and the guards on scope resolution.
/// </summary>
public class TradingGateTests
{
    private static readonly ActionType[] Undefined = [(ActionType)6, (ActionType)7, (ActionType)255];

    [Fact]
    public void Refusals_are_counted_per_mode_and_action_through_Allows_and_Check_and_allowed_calls_are_not()
    {
        using var driver = SystemDriver.Create(o => o.Gate.CountDenials = true).ToSafeMode();
        var gate = driver.Gate;
        Assert.True(gate.CountsDenials);

        Assert.False(gate.Allows(ActionType.Open));
        Assert.False(gate.Allows(ActionType.Open));
        Assert.False(gate.Check(ActionType.Open).Allowed);
        Assert.False(gate.Check(ActionType.Send).Allowed);
        Assert.True(gate.Allows(ActionType.Cancel)); // allowed in SafeMode: not a refusal
        Assert.True(gate.Check(ActionType.Query).Allowed);

        Assert.Equal(3, gate.GetDenials(SystemMode.SafeMode, ActionType.Open));
        Assert.Equal(1, gate.GetDenials(SystemMode.SafeMode, ActionType.Send));
        Assert.Equal(0, gate.GetDenials(SystemMode.SafeMode, ActionType.Cancel));
        Assert.Equal(0, gate.GetDenials(SystemMode.SafeMode, ActionType.Query));
        Assert.Equal(0, gate.GetDenials(SystemMode.Halt, ActionType.Open)); // another mode's bucket
        Assert.Equal(0, gate.GetDenials(SystemMode.Normal, ActionType.Open));

        driver.Fail(ComponentId.Broker, ReasonCode.PositionUnknown);
        Assert.Equal(SystemMode.Halt, gate.Mode);
        Assert.False(gate.Allows(ActionType.Cancel));
        Assert.Equal(1, gate.GetDenials(SystemMode.Halt, ActionType.Cancel));
        Assert.Equal(3, gate.GetDenials(SystemMode.SafeMode, ActionType.Open)); // earlier counts stay
    }

    [Fact]
    public void Every_mode_and_action_has_its_own_counter()
    {
        using var driver = SystemDriver.Create(o => o.Gate.CountDenials = true);
        var expected = new Dictionary<(SystemMode, ActionType), long>();
        foreach (var (mode, go) in new (SystemMode, Action)[]
                 {
                     (SystemMode.Recovering, () => { }), // the cold start
                     (SystemMode.SafeMode, () => driver.ToSafeMode()),
                     (SystemMode.SafeModeDisconnected, () => driver.Fail(ComponentId.Broker, ReasonCode.BrokerDisconnect)),
                     (SystemMode.Halt, () => driver.Fail(ComponentId.Broker, ReasonCode.PositionUnknown)),
                 })
        {
            go();
            Assert.Equal(mode, driver.Gate.Mode);
            var calls = 1;
            foreach (var action in Enum.GetValues<ActionType>())
            {
                if (driver.Gate.Snapshot.Allows(action)) continue;
                for (var i = 0; i < calls; i++) driver.Gate.Allows(action);
                expected[(mode, action)] = calls++; // a different count in every cell: a cell shared by two would show
            }
        }

        foreach (var mode in Enum.GetValues<SystemMode>())
            foreach (var action in Enum.GetValues<ActionType>())
                Assert.Equal(expected.GetValueOrDefault((mode, action)), driver.Gate.GetDenials(mode, action));
    }

    [Fact]
    public void Without_the_option_nothing_is_counted()
    {
        using var driver = SystemDriver.Create().ToHalt();
        var gate = driver.Gate;
        Assert.False(gate.CountsDenials);
        Assert.False(gate.Allows(ActionType.Send));
        Assert.False(gate.Check(ActionType.Send).Allowed);
        Assert.Equal(0, gate.GetDenials(SystemMode.Halt, ActionType.Send));
    }

    [Fact]
    public void A_value_outside_ActionType_is_refused_in_every_mode_counted_nowhere_and_never_throws()
    {
        using var driver = SystemDriver.Create(o => o.Gate.CountDenials = true).ToNormal();
        foreach (var action in Undefined)
        {
            Assert.False(driver.Gate.Allows(action));
            Assert.False(driver.Gate.Check(action).Allowed);
            Assert.Equal(0, driver.Gate.GetDenials(SystemMode.Normal, action));
        }
        driver.Fail(ComponentId.Broker, ReasonCode.PositionUnknown); // Halt: the last row of the counters
        foreach (var action in Undefined)
        {
            Assert.False(driver.Gate.Allows(action));
            Assert.False(driver.Gate.Check(action).Allowed);
        }
        // Not in the neighbouring cell either (the next mode's first action), in any mode.
        foreach (var mode in Enum.GetValues<SystemMode>())
            Assert.All(Enum.GetValues<ActionType>(), a => Assert.Equal(0, driver.Gate.GetDenials(mode, a)));
    }

    [Fact]
    public void Denials_of_a_mode_or_action_outside_the_enums_read_as_zero()
    {
        using var driver = SystemDriver.Create(o => o.Gate.CountDenials = true).ToHalt();
        foreach (var action in Enum.GetValues<ActionType>()) driver.Gate.Allows(action);
        Assert.Equal(0, driver.Gate.GetDenials((SystemMode)6, ActionType.Open));
        Assert.Equal(0, driver.Gate.GetDenials((SystemMode)255, ActionType.Open));
        Assert.Equal(0, driver.Gate.GetDenials(SystemMode.Halt, (ActionType)6));
    }

    [Fact]
    public void A_decision_reads_as_its_verdict_mode_stage_and_advice()
    {
        using var normalDriver = SystemDriver.Create().ToNormal();
        Assert.Equal("allowed in Normal", normalDriver.Gate.Check(ActionType.Send).ToString());

        using var haltedDriver = SystemDriver.Create().ToHalt();
        var halted = haltedDriver.Gate.Check(ActionType.Send);
        Assert.Equal($"refused in Halt: {halted.Advice}", halted.ToString());

        using var recoveringDriver = SystemDriver.Create().ToRecovering(RecoveryStage.VerifyRisk);
        var recovering = recoveringDriver.Gate.Check(ActionType.Open);
        Assert.Equal($"refused in Recovering/VerifyRisk: {recovering.Advice}", recovering.ToString());

        using var degradedDriver = SystemDriver.Create().ToDegraded();
        var degraded = degradedDriver.Gate.Check(ActionType.Open);
        Assert.Equal($"allowed in Degraded: {degraded.Advice}", degraded.ToString());
    }

    [Fact]
    public void Scopes_of_another_system_or_none_are_refused_by_name()
    {
        using var driver = SystemDriver.Create();
        var gate = driver.Gate;
        Assert.Throws<ArgumentNullException>(() => gate.For(null!));

        using var other = SystemDriver.Create();
        var foreign = other.System.Scopes.Add("venue-a/acct-1");
        var error = Assert.Throws<ArgumentException>(() => gate.For(foreign));
        Assert.Contains("venue-a/acct-1", error.Message);
        Assert.Equal("scope", error.ParamName);

        using var own = SystemDriver.Create();
        var scope = own.System.Scopes.Add("venue-b");
        Assert.Same(own.Gate.Resolve("venue-b").Gate, own.Gate.For(scope));
    }
}
