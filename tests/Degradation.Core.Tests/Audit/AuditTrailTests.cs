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
        entries[index] = entries[index] with { Record = entries[index].Record with { Details = "nothing happened here" } };
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
            entry with { Sequence = 2 },
            entry with { Record = entry.Record with { Kind = AuditEntryKind.Approval } },
            entry with { Record = entry.Record with { Action = "x" } },
            entry with { Record = entry.Record with { Component = null } },
            entry with { Record = entry.Record with { OperatorId = "mallory" } },
            entry with { Record = entry.Record with { From = "a" } },
            entry with { Record = entry.Record with { To = "b" } },
            entry with { Record = entry.Record with { Reason = "r" } },
            entry with { Record = entry.Record with { Details = null } },
            entry with { Record = entry.Record with { WallTime = entry.Record.WallTime.AddTicks(1) } },
            entry with { Record = entry.Record with { WallTime = entry.Record.WallTime.ToOffset(TimeSpan.FromHours(1)) } },
            entry with { PreviousHash = new string('1', 64) },
        };
        Assert.All(altered, a => Assert.NotEqual(entry.Hash, AuditChainVerifier.ComputeHash(a)));
        Assert.Equal(entry.Hash, AuditChainVerifier.ComputeHash(entry with { Hash = "ignored" }));
    }

    [Fact]
    public void The_hashed_bytes_are_those_of_earlier_versions_so_stored_chains_keep_verifying()
    {
        // Known answer, computed independently from the fixed layout: sequence, kind, action, component, operator,
        // from, to, reason, details, UTC ticks, offset minutes, previous hash (int64 little-endian; strings
        // length-prefixed UTF-8, -1 for null). Changing the layout breaks every chain already stored.
        var entry = new AuditEntry
        {
            Sequence = 7,
            Record = new AuditRecord
            {
                Kind = AuditEntryKind.Approval, Action = "approval.granted", Component = "quotes/backup", OperatorId = "alice",
                Reason = "desk ok", Details = "é ünïcode ✓",
                WallTime = new DateTimeOffset(2026, 1, 2, 3, 4, 5, TimeSpan.FromHours(2)).AddTicks(60007),
            },
            PreviousHash = string.Concat(Enumerable.Repeat("ab", 32)),
            Hash = "",
        };
        Assert.Equal("6148f0103d1fde9861eb844c69443d13e67a39b51ae2d34e7381be3892be24f9", AuditChainVerifier.ComputeHash(entry));
    }

    [Fact]
    public void An_entry_without_its_record_breaks_the_chain_there()
    {
        var entries = Filled(3).GetEntries().ToList();
        entries[1] = entries[1] with { Record = null! };
        var result = AuditChainVerifier.Verify(entries);
        Assert.False(result.IsValid);
        Assert.Equal(1, result.FirstInvalidIndex);
        Assert.Contains("record is missing", result.Problem);
    }

    [Fact]
    public void An_altered_entry_whose_hash_was_recomputed_breaks_the_next_link()
    {
        var entries = Filled(5).GetEntries().ToList();
        var forged = entries[2] with { Record = entries[2].Record with { OperatorId = "mallory" } };
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
        await using var system = DegradationSystem.Create(new DegradationOptions(), _time);
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
        Assert.Equal(history.Select(h => h.WallTime), all.Select(e => e.Record.WallTime));
        Assert.Equal("cold_start", all[0].Record.Reason);
        var entries = all.Skip(1).ToList();
        Assert.Equal([AuditEntryKind.Transition, AuditEntryKind.Override, AuditEntryKind.Override], entries.Select(e => e.Record.Kind));
        Assert.Equal(("mode_change", "Recovering/ConnectBroker", "SafeModeDisconnected", "broker.disconnect", "broker"),
            (entries[0].Record.Action, entries[0].Record.From, entries[0].Record.To, entries[0].Record.Reason, entries[0].Record.Component));
        var forced = entries[1];
        Assert.Equal(("override_started", "frank", "SafeModeDisconnected"), (forced.Record.Action, forced.Record.OperatorId, forced.Record.To));
        Assert.Contains("ttl 300 s", forced.Record.Details);
        Assert.Contains("suspicious fills", forced.Record.Details);
        Assert.Equal(("override_ended", "frank"), (entries[2].Record.Action, entries[2].Record.OperatorId));
        Assert.True(trail.Verify().IsValid);
    }

    [Fact]
    public void Approvals_and_operator_actions_are_recorded_with_their_kind()
    {
        var trail = new AuditTrail(_time);
        var approval = trail.AppendApproval("quotes/static", "gina", "accept stale prices");
        var revoked = trail.AppendApproval("quotes/static", "gina", "feed back", granted: false);
        var action = trail.AppendOperatorAction("load.reset", "gina", "test over", "load");
        Assert.Equal((AuditEntryKind.Approval, "approval.granted", "quotes/static"), (approval.Record.Kind, approval.Record.Action, approval.Record.Component));
        Assert.Equal("approval.revoked", revoked.Record.Action);
        Assert.Equal((AuditEntryKind.OperatorAction, "gina", "test over"), (action.Record.Kind, action.Record.OperatorId, action.Record.Reason));
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
