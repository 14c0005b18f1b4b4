using System.Collections.Concurrent;
using Microsoft.Extensions.Time.Testing;

namespace Degradation.Tests.Audit;

/// <summary>
/// Fallback chains, the load monitor and the feature controller write their audit records to any
/// <see cref="IAuditStore"/> (a PostgreSQL store as much as the in-memory trail): in order, without waiting for a slow
/// store, and a store that refuses or fails a record is counted, never silently skipped.
/// </summary>
public class AuditStoreRoutingTests
{
    private static readonly TimeSpan HangGuard = TimeSpan.FromSeconds(60); // only against a hang

    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 1, 26, 9, 30, 0, TimeSpan.Zero));

    /// <summary>Records what it is given; optionally holds each append until released, like a slow database.</summary>
    private sealed class RecordingAuditStore(bool slow = false) : IAuditStore
    {
        private readonly ConcurrentQueue<TaskCompletionSource> _held = new();
        public ConcurrentQueue<AuditRecord> Records { get; } = new();
        public int Held => _held.Count;

        public ValueTask AppendAsync(ModeTransition transition, CancellationToken cancellationToken) => ValueTask.CompletedTask;

        public ValueTask AppendAsync(AuditRecord record, CancellationToken cancellationToken)
        {
            if (!slow)
            {
                Records.Enqueue(record);
                return ValueTask.CompletedTask;
            }
            var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            _held.Enqueue(release);
            return new ValueTask(release.Task.ContinueWith(_ => Records.Enqueue(record), TaskScheduler.Default));
        }

        public void ReleaseOne()
        {
            Assert.True(_held.TryDequeue(out var release));
            release.SetResult();
        }
    }

    /// <summary>A store written before records existed: it keeps transitions only (the interface's default refuses records).</summary>
    private sealed class TransitionsOnlyStore : IAuditStore
    {
        public ValueTask AppendAsync(ModeTransition transition, CancellationToken cancellationToken) => ValueTask.CompletedTask;
    }

    private sealed class FailingStore : IAuditStore
    {
        public int Calls;
        public ValueTask AppendAsync(ModeTransition transition, CancellationToken cancellationToken) => ValueTask.CompletedTask;
        public ValueTask AppendAsync(AuditRecord record, CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref Calls);
            throw new InvalidOperationException("database gone");
        }
    }

    private FallbackChain<int> Chain(IAuditStore store, bool primaryFails = true) =>
        new FallbackChainBuilder<int>("quotes")
            .Primary(_ => primaryFails ? throw new TimeoutException("primary down") : ValueTask.FromResult(100))
            .Secondary(_ => ValueTask.FromResult(90))
            .Build(_time, store);

    private static void Run(FallbackChain<int> chain, int times)
    {
        for (var i = 0; i < times; i++) chain.ExecuteAsync().AsTask().GetAwaiter().GetResult();
    }

    [Fact]
    public void A_fallback_failover_and_an_approval_reach_the_store()
    {
        var store = new RecordingAuditStore();
        var chain = new FallbackChainBuilder<int>("prices")
            .Primary(_ => throw new TimeoutException("primary down"))
            .Degraded(_ => ValueTask.FromResult(60), requiresApproval: true)
            .Error(-1)
            .Build(_time, store);
        Run(chain, 3);
        Assert.True(chain.Approve("degraded", "carol", "accept reduced prices"));

        Assert.Contains(store.Records, r => r.Kind == AuditEntryKind.Fallback && r.Component == "prices" && r.Action.StartsWith("fallback.", StringComparison.Ordinal));
        var approval = Assert.Single(store.Records, r => r.Kind == AuditEntryKind.Approval);
        Assert.Equal(("approval.granted", "prices/degraded", "carol", "accept reduced prices"), (approval.Action, approval.Component, approval.OperatorId, approval.Reason));
        Assert.Equal(_time.GetUtcNow(), approval.WallTime);
        Assert.Equal(0, chain.AuditFailures);
    }

    [Fact]
    public void A_load_level_change_and_an_operator_reset_reach_the_store()
    {
        var store = new RecordingAuditStore();
        var monitor = new LoadLevelMonitor(timeProvider: _time, audit: store);
        monitor.Evaluate(5_000_000, 0);
        Assert.True(monitor.Reset("alice", "load test finished"));

        var records = store.Records.ToList();
        Assert.Contains(records, r => r.Kind == AuditEntryKind.Load && r.Action == "load.level_changed" && r.From == "Normal" && r.To == "CircuitBreak" && r.OperatorId is null);
        Assert.Contains(records, r => r.Kind == AuditEntryKind.OperatorAction && r.Action == "load.reset" && r.OperatorId == "alice" && r.Reason == "load test finished");
        Assert.Contains(records, r => r.Kind == AuditEntryKind.Load && r.From == "CircuitBreak" && r.To == "Normal" && r.OperatorId == "alice");
        Assert.All(records, r => Assert.Equal(_time.GetUtcNow(), r.WallTime));
    }

    [Fact]
    public void A_feature_level_change_reaches_the_store()
    {
        var store = new RecordingAuditStore();
        var controller = new FeatureDegradationController(timeProvider: _time, audit: store);
        controller.SetLevel(FeatureDegradationLevel.Minimal, "db down", "erin");
        var record = Assert.Single(store.Records);
        Assert.Equal((AuditEntryKind.Feature, "feature.level_changed", "Normal", "Minimal", "erin", "db down"),
            (record.Kind, record.Action, record.From, record.To, record.OperatorId, record.Reason));
    }

    [Fact]
    public async Task A_slow_store_does_not_hold_up_the_component_and_gets_every_record_in_order()
    {
        var store = new RecordingAuditStore(slow: true);
        var controller = new FeatureDegradationController(timeProvider: _time, audit: store);
        var levels = new[] { FeatureDegradationLevel.DegradedL1, FeatureDegradationLevel.Minimal, FeatureDegradationLevel.Emergency, FeatureDegradationLevel.Normal };
        foreach (var level in levels) Assert.NotNull(controller.SetLevel(level, "step " + level));

        Assert.Equal(FeatureDegradationLevel.Normal, controller.Level); // every change applied while the store still holds the first record
        Assert.Equal(1, store.Held);                                   // one append at a time: the others wait their turn
        var flushed = controller.FlushAuditAsync();
        Assert.False(flushed.IsCompleted);

        for (var i = 0; i < levels.Length; i++)
        {
            while (store.Held == 0) await Task.Yield(); // the writer moves on to the next record once the previous one is stored
            store.ReleaseOne();
        }
        await flushed.WaitAsync(HangGuard);

        Assert.Equal(levels.Select(l => l.ToString()), store.Records.Select(r => r.To));
        Assert.Equal(0, controller.AuditFailures);
    }

    [Fact]
    public void A_store_that_keeps_transitions_only_is_counted_for_every_record_it_cannot_keep()
    {
        var chain = Chain(new TransitionsOnlyStore());
        Run(chain, 3); // breaks the primary and fails over: at least two records
        Assert.True(chain.AuditFailures >= 2, $"{chain.AuditFailures} failures counted");
        Assert.Equal("secondary", chain.ActiveTier!.Name); // auditing trouble never changes the chain's decisions
    }

    [Fact]
    public void A_failing_store_is_counted_and_the_component_carries_on()
    {
        var store = new FailingStore();
        var monitor = new LoadLevelMonitor(timeProvider: _time, audit: store);
        monitor.Evaluate(5_000_000, 0);
        Assert.True(monitor.Reset("alice", "done"));
        Assert.Equal(LoadLevel.Normal, monitor.Level);
        Assert.Equal(store.Calls, monitor.AuditFailures);
        Assert.Equal(3, monitor.AuditFailures);
    }

    [Fact]
    public void The_in_memory_trail_chains_records_with_transitions()
    {
        var trail = new AuditTrail(_time);
        var controller = new FeatureDegradationController(timeProvider: _time, audit: trail);
        controller.SetLevel(FeatureDegradationLevel.DegradedL1, "backup feed");
        var entry = Assert.Single(trail.GetEntries()); // an in-memory store has the record before SetLevel returns
        Assert.Equal(("feature.level_changed", "Normal", "DegradedL1", "backup feed"), (entry.Record.Action, entry.Record.From, entry.Record.To, entry.Record.Reason));
        Assert.True(trail.Verify().IsValid);
    }
}
