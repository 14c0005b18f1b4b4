using Microsoft.Extensions.Time.Testing;

namespace Degradation.Tests.Operator;

/// <summary>Operator Halts and overrides are stored before they are acknowledged and restored before the gate exists.</summary>
public class OperatorStateRestoreTests
{
    private static readonly DateTimeOffset Start = new(2026, 11, 30, 9, 0, 0, TimeSpan.Zero);
    private readonly FakeTimeProvider _time = new(Start);
    private readonly MemoryOperatorStateStore _store = new();

    private DegradationStateMachine Build() => new(new DegradationPolicy(new DegradationOptions()), _time, _store);

    [Fact]
    public void A_stored_Halt_is_the_very_first_gate_snapshot_after_a_restart()
    {
        var first = Build();
        Assert.True(first.Halt("carol", "runaway algo").Durable);
        Assert.Equal("carol", _store.Saved!.Halt!.OperatorId);

        var restarted = Build();
        var snapshot = restarted.Gate.Snapshot; // the first thing anyone can read
        Assert.Equal(SystemMode.Halt, snapshot.Mode);
        Assert.Equal(0, snapshot.AllowedMask & (1 << (int)ActionType.Send));
        Assert.Equal(ReasonCode.OperatorHalt, snapshot.Reason);
        Assert.Equal("carol", restarted.OperatorHalt!.OperatorId);
        Assert.Contains(restarted.GetConditions(), c => c.Reason == ReasonCode.OperatorHalt);
        Assert.Equal(TransitionKind.OperatorHalt, restarted.LastTransition!.Kind);
        Assert.Contains("restored", restarted.LastTransition.Details);

        // Nothing automatic leaves it: reports, completion, time.
        foreach (var c in new[] { ComponentId.Broker, ComponentId.MarketData, ComponentId.Risk })
            restarted.Apply(SystemEvent.Create(_time, EventType.Heartbeat, c));
        restarted.Apply(SystemEvent.Create(_time, EventType.Recovered, ComponentId.System, ReasonCode.AllHealthy));
        _time.Advance(TimeSpan.FromDays(2));
        restarted.Tick();
        Assert.Equal(SystemMode.Halt, restarted.Mode);
        Assert.True(restarted.ReleaseHalt("carol", "fixed").Accepted);
        Assert.Contains(restarted.GetHistory(), t => t.Kind == TransitionKind.HaltReleased && t.To == SystemMode.Recovering);
        Assert.Equal(SystemMode.SafeMode, restarted.Mode); // two silent days: the critical components are stale
        Assert.Null(_store.Saved!.Halt);
        Assert.Equal(SystemMode.Recovering, Build().Mode); // released for good
    }

    [Fact]
    public void An_unreadable_store_starts_the_system_halted_and_says_why()
    {
        _store.FailLoads = true;
        var machine = Build();
        Assert.Equal(SystemMode.Halt, machine.Gate.Snapshot.Mode);
        Assert.Contains("could not be read", machine.OperatorHalt!.Reason);
        Assert.Contains("disk on fire", machine.OperatorHalt.Reason);
    }

    [Fact]
    public void A_strict_override_is_restored_with_its_absolute_expiry()
    {
        var first = Build();
        Assert.True(first.ForceMode(SystemMode.SafeMode, TimeSpan.FromMinutes(10), "alice", "exchange maintenance").Accepted);
        Assert.Equal(Start + TimeSpan.FromMinutes(10), _store.Saved!.Override!.ExpiresAt);

        _time.Advance(TimeSpan.FromMinutes(4)); // the process was down for four minutes
        var restarted = Build();
        Assert.Equal(SystemMode.SafeMode, restarted.Gate.Mode);
        Assert.Equal(Start + TimeSpan.FromMinutes(10), restarted.Override!.ExpiresAt);
        _time.Advance(TimeSpan.FromMinutes(6) - TimeSpan.FromSeconds(1));
        restarted.Tick();
        Assert.True(restarted.IsOverrideActive);
        _time.Advance(TimeSpan.FromSeconds(1));
        restarted.Tick();
        Assert.False(restarted.IsOverrideActive);
        Assert.Equal(SystemMode.Recovering, restarted.Mode);
    }

    [Fact]
    public void A_looser_or_expired_override_is_not_restored()
    {
        var first = Build();
        Assert.True(first.ForceMode(SystemMode.Normal, TimeSpan.FromMinutes(10), "alice", "trade", acknowledge: [ReasonCode.ComponentUnknown]).Accepted);
        Assert.Equal(SystemMode.Normal, first.Mode);
        var restarted = Build(); // the conditions it was acknowledged against are gone with the old process
        Assert.Equal(SystemMode.Recovering, restarted.Gate.Mode);
        Assert.False(restarted.IsOverrideActive);

        Assert.True(restarted.ForceMode(SystemMode.SafeMode, TimeSpan.FromMinutes(1), "alice", "short").Accepted);
        _time.Advance(TimeSpan.FromMinutes(2));
        var late = Build();
        Assert.False(late.IsOverrideActive);
        Assert.Equal(SystemMode.Recovering, late.Mode);
    }

    [Fact]
    public void Refused_commands_write_nothing()
    {
        var machine = Build();
        var before = _store.Saves;
        Assert.False(machine.ForceMode(SystemMode.Normal, TimeSpan.FromMinutes(1), "a", "r").Accepted);
        Assert.False(machine.ReleaseOverride("a").Accepted);
        Assert.False(machine.ReleaseHalt("a", "r").Accepted);
        Assert.Equal(before, _store.Saves);
    }
}
