using Degradation.Tests.Operator;
using Microsoft.Extensions.Time.Testing;

namespace Degradation.Tests.Scopes;

/// <summary>
/// Scope halts and overrides are durable: each scope keeps its operator state in the process store's scope store, restored
/// before the scope's first gate check; an unreadable one starts the scope halted; a store without scope support says so.
/// </summary>
public class ScopeOperatorStateTests
{
    private const string Account = "venue-a/acct-1";

    [Fact]
    public async Task A_halted_account_is_halted_after_a_restart_from_its_first_gate_check_and_nothing_but_a_release_opens_it()
    {
        var store = new MemoryOperatorStateStore();
        var time = new FakeTimeProvider();
        await using (var before = ScopeKit.Create(store: store, time: time))
        {
            before.DriveToNormal(before.Scopes.Root);
            var account = before.AddOpen(Account);
            before.AddOpen("venue-a/acct-2");
            var halted = account.StateMachine.Halt("ops-1", "runaway account");
            Assert.True(halted.Accepted);
            Assert.True(halted.Durable);
        }
        Assert.Equal(Account, store.Child(Account).Saved!.Scope);
        Assert.NotNull(store.Child(Account).Saved!.Halt);
        Assert.Null(store.Saved); // the process itself was never halted

        await using var after = ScopeKit.Create(store: store, time: time);
        after.DriveToNormal(after.Scopes.Root);
        var restored = after.Scopes.Add(Account);
        var gate = after.Gate.For(restored);
        // The very first view anyone can read is the restored Halt.
        Assert.Equal(SystemMode.Halt, gate.Mode);
        Assert.False(gate.Allows(ActionType.Send));
        Assert.Equal("ops-1", restored.StateMachine.OperatorHalt!.OperatorId);
        after.DriveToNormal(restored.Parent!); // the venue was added cold with the account
        var sibling = after.AddOpen("venue-a/acct-2");
        Assert.True(after.Gate.For(sibling).Allows(ActionType.Send));

        // Everything short of a Halt release leaves it shut.
        foreach (var component in new[] { ComponentId.Broker, ComponentId.MarketData, ComponentId.Risk }) restored.Heartbeat(component);
        restored.Bus.Publish(EventType.Recovered, ComponentId.System, ReasonCode.RecoveryComplete);
        restored.Bus.Publish(EventType.Recovered, ComponentId.System, ReasonCode.AllHealthy);
        restored.Bus.ProcessPending();
        Assert.False(gate.Allows(ActionType.Send));
        Assert.False(restored.StateMachine.ForceMode(SystemMode.Normal, TimeSpan.FromMinutes(5), "ops-2", "try").Accepted);
        Assert.False(restored.StateMachine.ForceMode(SystemMode.Normal, TimeSpan.FromMinutes(5), "ops-2", "try", acknowledge: [ReasonCode.OperatorHalt]).Accepted);
        Assert.Throws<InvalidOperationException>(() => restored.StateMachine.StartRecovery("ops-2", "try"));
        after.Time.Advance(TimeSpan.FromMinutes(10));
        after.Scopes.Tick();
        Assert.False(gate.Allows(ActionType.Send));
        Assert.Equal(SystemMode.Halt, gate.Mode);

        var released = restored.StateMachine.ReleaseHalt("ops-1", "account checked");
        Assert.True(released.Accepted);
        Assert.Null(store.Child(Account).Saved!.Halt);
        Assert.False(gate.Allows(ActionType.Send)); // released into a recovery run, not straight to trading
        after.DriveToNormal(restored);
        Assert.True(gate.Allows(ActionType.Send));
    }

    [Fact]
    public async Task A_strict_scope_override_is_restored_with_its_absolute_expiry()
    {
        var store = new MemoryOperatorStateStore();
        var time = new FakeTimeProvider();
        await using (var before = ScopeKit.Create(store: store, time: time))
        {
            before.DriveToNormal(before.Scopes.Root);
            var venue = before.AddOpen("venue-a");
            Assert.True(venue.StateMachine.ForceMode(SystemMode.SafeMode, TimeSpan.FromMinutes(10), "ops-1", "venue maintenance").Accepted);
        }
        time.Advance(TimeSpan.FromMinutes(4));
        await using var after = ScopeKit.Create(store: store, time: time);
        var restored = after.Scopes.Add("venue-a");
        Assert.Equal(SystemMode.SafeMode, restored.StateMachine.Mode);
        Assert.Equal(SystemMode.SafeMode, restored.StateMachine.Override!.Mode);
        after.Time.Advance(TimeSpan.FromMinutes(6));
        after.Scopes.Tick();
        Assert.Null(restored.StateMachine.Override);
    }

    [Fact]
    public async Task An_unreadable_scope_store_starts_that_scope_halted_and_leaves_the_others_alone()
    {
        var store = new MemoryOperatorStateStore();
        store.Child(Account).FailLoads = true;
        await using var kit = ScopeKit.Create(store: store);
        kit.DriveToNormal(kit.Scopes.Root);
        var account = kit.Scopes.Add(Account);
        kit.DriveToNormal(account.Parent!);
        var sibling = kit.AddOpen("venue-a/acct-2");

        Assert.Equal(SystemMode.Halt, kit.Gate.For(account).Mode);
        Assert.Contains("could not be read", account.StateMachine.OperatorHalt!.Reason);
        Assert.True(kit.Gate.For(sibling).Allows(ActionType.Send));
        Assert.True(kit.Gate.For(account.Parent!).Allows(ActionType.Send));
        Assert.True(kit.Gate.Allows(ActionType.Send));
    }

    [Fact]
    public async Task A_store_that_cannot_give_a_scope_store_starts_every_scope_halted_and_a_release_still_works()
    {
        var store = new MemoryOperatorStateStore { ScopeFailure = new IOException("no such table") };
        await using var kit = ScopeKit.Create(store: store);
        kit.DriveToNormal(kit.Scopes.Root);
        var account = kit.Scopes.Add(Account);

        Assert.Equal(SystemMode.Halt, kit.Gate.For(account).Mode);
        Assert.Contains("no such table", account.StateMachine.OperatorHalt!.Reason);
        Assert.Contains(Account, account.StateMachine.OperatorHalt.Reason);
        Assert.True(kit.Gate.Allows(ActionType.Send));
        Assert.False(kit.Gate.For(account).Allows(ActionType.Send));
        // A release is allowed (nothing to store), and the scope then earns its way back through recovery.
        Assert.True(account.StateMachine.ReleaseHalt("ops-1", "checked").Accepted);
        Assert.False(kit.Gate.For(account).Allows(ActionType.Send));
    }

    [Fact]
    public async Task A_store_without_scope_support_keeps_scope_halts_in_memory_and_says_they_are_not_durable()
    {
        var store = new ProcessOnlyStore();
        await using var kit = ScopeKit.Create(store: store);
        kit.DriveToNormal(kit.Scopes.Root);
        var account = kit.AddOpen(Account);

        var halted = account.StateMachine.Halt("ops-1", "runaway");
        Assert.True(halted.Accepted);
        Assert.False(halted.Durable);
        Assert.Contains(nameof(ProcessOnlyStore), halted.Message);
        Assert.Contains(Account, halted.Message);
        Assert.False(kit.Gate.For(account).Allows(ActionType.Send));

        Assert.True(account.StateMachine.ReleaseHalt("ops-1", "checked").Accepted);
        kit.DriveToNormal(account);
        var forced = account.StateMachine.ForceMode(SystemMode.SafeMode, TimeSpan.FromMinutes(5), "ops-1", "maintenance");
        Assert.False(forced.Accepted);
        Assert.Equal(OperatorRefusal.NotPersisted, forced.Refusal);

        Assert.True(kit.System.StateMachine.Halt("ops-1", "firm-wide").Durable); // the process's own state is stored as before
        Assert.NotNull(store.Saved?.Halt);
    }

    [Fact]
    public async Task A_forced_removal_keeps_the_stored_halt_so_the_scope_added_again_comes_back_halted()
    {
        var store = new MemoryOperatorStateStore();
        await using var kit = ScopeKit.Create(store: store);
        kit.DriveToNormal(kit.Scopes.Root);
        var account = kit.AddOpen(Account);
        account.StateMachine.Halt("ops-1", "runaway");

        Assert.True(await kit.Scopes.RemoveAsync(Account, force: true));
        var again = kit.Scopes.Add(Account);
        Assert.NotSame(account, again);
        Assert.Equal(SystemMode.Halt, kit.Gate.For(again).Mode);
        Assert.Equal("ops-1", again.StateMachine.OperatorHalt!.OperatorId);
    }

    private sealed class ProcessOnlyStore : IOperatorStateStore
    {
        public OperatorState? Saved { get; private set; }
        public OperatorState? Load() => Saved;
        public void Save(OperatorState state) => Saved = state;
    }
}
