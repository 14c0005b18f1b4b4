using Microsoft.Extensions.Time.Testing;
using Degradation.Testing;

namespace Degradation.Tests.Audit;

public class AuditTrailTests
{
    private readonly FakeTimeProvider _time = new(FakeTimeProviderExtensions.TestStart);

    private AuditTrail Filled(int count, int capacity = 100)
    {
        var trail = new AuditTrail(_time, capacity);
        for (var i = 1; i <= count; i++)
        {
            trail.Append(AuditEntryKind.Other, "step", $"component-{i}", details: $"entry {i}");
            _time.Advance(TimeSpan.FromSeconds(1));
        }
        return trail;
    }

    [Fact]
    public void Each_entry_is_chained_to_the_previous_by_sha256()
    {
        var trail = Filled(5);
        var entries = trail.GetEntries();
        Assert.Equal([1L, 2, 3, 4, 5], entries.Select(e => e.Sequence));
        Assert.Equal(AuditChainVerifier.GenesisHash, entries[0].PreviousHash);
        for (var i = 1; i < entries.Count; i++) Assert.Equal(entries[i - 1].Hash, entries[i].PreviousHash);
        Assert.All(entries, e => Assert.Matches("^[0-9a-f]{64}$", e.Hash));
        Assert.Equal(entries[^1].Hash, trail.HeadHash);
        Assert.True(trail.Verify().IsValid);
        Assert.Equal(5, trail.Verify().EntriesChecked);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(3)]
    [InlineData(6)]
    public void An_altered_entry_is_found(int index)
    {
        var entries = Filled(7).GetEntries().ToList();
        entries[index] = entries[index] with { Details = "nothing happened here" };
        var result = AuditChainVerifier.Verify(entries);
        Assert.False(result.IsValid);
        Assert.Equal(index, result.FirstInvalidIndex);
        Assert.Equal(index + 1, result.FirstInvalidSequence);
        Assert.Contains("altered", result.Problem);
    }

    [Fact]
    public void Every_field_is_covered_by_the_hash()
    {
        var entry = Filled(1).GetEntries()[0];
        var altered = new[]
        {
            entry with { Sequence = 2 }, entry with { Kind = AuditEntryKind.Approval }, entry with { Action = "x" },
            entry with { Component = null }, entry with { OperatorId = "mallory" }, entry with { From = "a" }, entry with { To = "b" },
            entry with { Reason = "r" }, entry with { Details = null }, entry with { WallTime = entry.WallTime.AddTicks(1) },
            entry with { PreviousHash = new string('1', 64) },
        };
        Assert.All(altered, a => Assert.NotEqual(entry.Hash, AuditChainVerifier.ComputeHash(a)));
        Assert.Equal(entry.Hash, AuditChainVerifier.ComputeHash(entry with { Hash = "ignored" }));
    }

    [Fact]
    public void An_altered_entry_whose_hash_was_recomputed_breaks_the_next_link()
    {
        var entries = Filled(5).GetEntries().ToList();
        var forged = entries[2] with { OperatorId = "mallory" };
        entries[2] = forged with { Hash = AuditChainVerifier.ComputeHash(forged) };
        var result = AuditChainVerifier.Verify(entries);
        Assert.Equal(3, result.FirstInvalidIndex);
        Assert.Contains("previous-hash link", result.Problem);
    }

    [Fact]
    public void A_removed_or_reordered_entry_is_found()
    {
        var entries = Filled(5).GetEntries().ToList();
        var removed = entries.Where((_, i) => i != 1).ToList();
        Assert.Equal(1, AuditChainVerifier.Verify(removed).FirstInvalidIndex);
        var swapped = entries.ToList();
        (swapped[2], swapped[3]) = (swapped[3], swapped[2]);
        Assert.Equal(2, AuditChainVerifier.Verify(swapped).FirstInvalidIndex);
    }

    [Fact]
    public void A_bounded_trail_drops_the_oldest_and_still_verifies_from_its_anchor()
    {
        var trail = Filled(5, capacity: 3);
        var entries = trail.GetEntries();
        Assert.Equal([3L, 4, 5], entries.Select(e => e.Sequence));
        Assert.Equal(5, trail.Count);
        Assert.Equal(entries[0].PreviousHash, trail.AnchorHash);
        Assert.True(trail.Verify().IsValid);
        Assert.False(AuditChainVerifier.Verify(entries).IsValid); // not from genesis
    }

    [Fact]
    public async Task Attached_to_the_state_machine_it_records_every_transition_and_override()
    {
        var trail = new AuditTrail(_time);
        var system = DegradationSystem.Create(new DegradationOptions(), _time);
        var delivered = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        trail.EntryAppended += e => { if (e.Sequence == 4) delivered.TrySetResult(); };
        system.StateMachine.AddAuditStore(trail); // attached after the cold-start transition (#1): it arrives as backlog
        system.ReportFailure(ComponentId.Broker, ReasonCode.BrokerDisconnect);
        Assert.True(system.StateMachine.ForceMode(SystemMode.SafeModeDisconnected, TimeSpan.FromMinutes(5), "frank", "suspicious fills").Accepted);
        Assert.True(system.StateMachine.ReleaseOverride("frank", "checked").Accepted);
        await delivered.Task.WaitAsync(TimeSpan.FromSeconds(60));
        await system.StateMachine.FlushObserversAsync();
        await system.StateMachine.DisposeAsync();

        var history = system.StateMachine.GetHistory().ToList();
        var all = trail.GetEntries();
        Assert.Equal(history.Count, all.Count);
        Assert.Equal(history.Select(h => h.WallTime), all.Select(e => e.WallTime));
        Assert.Equal("cold_start", all[0].Reason);
        var entries = all.Skip(1).ToList();
        Assert.Equal([AuditEntryKind.Transition, AuditEntryKind.Override, AuditEntryKind.Override], entries.Select(e => e.Kind));
        Assert.Equal(("mode_change", "Recovering/ConnectBroker", "SafeModeDisconnected", "broker.disconnect", "broker"),
            (entries[0].Action, entries[0].From, entries[0].To, entries[0].Reason, entries[0].Component));
        var forced = entries[1];
        Assert.Equal(("override_started", "frank", "SafeModeDisconnected"), (forced.Action, forced.OperatorId, forced.To));
        Assert.Contains("ttl 300 s", forced.Details);
        Assert.Contains("suspicious fills", forced.Details);
        Assert.Equal(("override_ended", "frank"), (entries[2].Action, entries[2].OperatorId));
        Assert.True(trail.Verify().IsValid);
    }

    [Fact]
    public void Approvals_and_operator_actions_are_recorded_with_their_kind()
    {
        var trail = new AuditTrail(_time);
        var approval = trail.AppendApproval("quotes/static", "gina", "accept stale prices");
        var revoked = trail.AppendApproval("quotes/static", "gina", "feed back", granted: false);
        var action = trail.AppendOperatorAction("load.reset", "gina", "test over", "load");
        Assert.Equal((AuditEntryKind.Approval, "approval.granted", "quotes/static"), (approval.Kind, approval.Action, approval.Component));
        Assert.Equal("approval.revoked", revoked.Action);
        Assert.Equal((AuditEntryKind.OperatorAction, "gina", "test over"), (action.Kind, action.OperatorId, action.Reason));
        Assert.Throws<ArgumentException>(() => trail.AppendApproval("x", " ", "r"));
        Assert.Throws<ArgumentException>(() => trail.AppendOperatorAction("x", "op", ""));
        Assert.Throws<ArgumentException>(() => trail.Append(AuditEntryKind.Other, " "));
    }

    [Fact]
    public void A_failing_persistence_hook_is_counted_and_does_not_stop_auditing()
    {
        var trail = new AuditTrail(_time);
        var persisted = new List<long>();
        trail.EntryAppended += _ => throw new IOException("disk full");
        trail.EntryAppended += e => persisted.Add(e.Sequence);
        trail.Append(AuditEntryKind.Other, "a");
        trail.Append(AuditEntryKind.Other, "b");
        Assert.Equal(2, trail.HandlerFailures);
        Assert.Equal([1L, 2], persisted);
        Assert.True(trail.Verify().IsValid);
    }

    [Fact]
    public void Concurrent_appends_keep_one_unbroken_chain()
    {
        var trail = new AuditTrail(_time);
        Parallel.For(0, 4, worker =>
        {
            for (var i = 0; i < 250; i++) trail.Append(AuditEntryKind.Other, "w", worker.ToString(System.Globalization.CultureInfo.InvariantCulture));
        });
        Assert.Equal(1000, trail.GetEntries().Count);
        Assert.True(trail.Verify().IsValid);
    }
}
