using System.Collections.Concurrent;
using Microsoft.Extensions.Time.Testing;

namespace Degradation.Tests.Audit;

/// <summary>
/// A composed runtime audits every record in every store, not only in an in-memory trail: what is handed to
/// <see cref="DegradationRuntime.Audit"/> (fallback chains, load monitor, feature controller), record-only events and
/// kill-switch action outcomes. A store that refuses a record is counted and reported, and the others still get it.
/// </summary>
public class RuntimeAuditTests
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(30); // an upper bound for a hung test, not a timing assumption
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 30, 9, 0, 0, TimeSpan.Zero));

    /// <summary>An <see cref="IAuditStore"/> that is not an <see cref="AuditTrail"/>, like a database store.</summary>
    private sealed class RecordingStore : IAuditStore
    {
        public ConcurrentQueue<AuditRecord> Records { get; } = new();
        public ConcurrentQueue<ModeTransition> Transitions { get; } = new();

        public ValueTask AppendAsync(ModeTransition transition, CancellationToken cancellationToken)
        {
            Transitions.Enqueue(transition);
            return ValueTask.CompletedTask;
        }

        public ValueTask AppendAsync(AuditRecord record, CancellationToken cancellationToken)
        {
            Records.Enqueue(record);
            return ValueTask.CompletedTask;
        }
    }

    /// <summary>A store written before records existed: the interface's default refuses them.</summary>
    private sealed class TransitionsOnlyStore : IAuditStore
    {
        public ValueTask AppendAsync(ModeTransition transition, CancellationToken cancellationToken) => ValueTask.CompletedTask;
    }

    private sealed class FailingAction(string name) : IKillSwitchAction
    {
        public string Name => name;

        public Task ExecuteAsync(KillSwitchContext context, CancellationToken cancellationToken) =>
            throw new InvalidOperationException("venue refused the mass-cancel");
    }

    private sealed class PassingAction(string name) : IKillSwitchAction
    {
        public string Name => name;

        public Task ExecuteAsync(KillSwitchContext context, CancellationToken cancellationToken) => Task.CompletedTask;
    }

    private DegradationSystemBuilder Builder() => new(new DegradationOptions(), _time);

    [Fact]
    public async Task Fallback_load_and_feature_records_handed_to_the_runtime_reach_every_store()
    {
        var store = new RecordingStore();
        var trail = new AuditTrail(_time);
        await using var runtime = Builder().AddAuditStore(store).AddAuditStore(trail).Build();
        await runtime.StartAsync();

        var chain = new FallbackChainBuilder<int>("quotes")
            .Primary(_ => throw new TimeoutException("primary down"))
            .Degraded(_ => ValueTask.FromResult(60), requiresApproval: true)
            .Error(-1)
            .Build(_time, runtime.Audit);
        for (var i = 0; i < 3; i++) await chain.ExecuteAsync();
        Assert.True(chain.Approve("degraded", "carol", "accept reduced quotes"));
        new LoadLevelMonitor(timeProvider: _time, audit: runtime.Audit).Evaluate(5_000_000, 0);
        new FeatureDegradationController(timeProvider: _time, audit: runtime.Audit).SetLevel(FeatureDegradationLevel.Minimal, "db down", "erin");
        await runtime.StopAsync().WaitAsync(Wait); // flushes the audit

        var records = store.Records.ToList();
        Assert.Contains(records, r => r.Kind == AuditEntryKind.Fallback && r.Component == "quotes");
        Assert.Contains(records, r => r.Kind == AuditEntryKind.Approval && r.Action == "approval.granted" && r.OperatorId == "carol");
        Assert.Contains(records, r => r.Kind == AuditEntryKind.Load && r.Action == "load.level_changed");
        Assert.Contains(records, r => r.Kind == AuditEntryKind.Feature && r.To == "Minimal" && r.OperatorId == "erin");
        // The same records, in the same order, in the trail, chained among the transitions.
        Assert.Equal(records, trail.GetEntries().Select(e => e.Record).Where(r => r.Kind != AuditEntryKind.Transition && r.Kind != AuditEntryKind.Override));
        Assert.True(trail.Verify().IsValid);
        Assert.NotEmpty(store.Transitions); // the cold start at least
        Assert.Equal(0, runtime.AuditFailures);
    }

    [Fact]
    public async Task Kill_switch_outcomes_reach_every_audit_store_without_any_host()
    {
        var store = new RecordingStore();
        await using var runtime = Builder()
            .AddAuditStore(store)
            .AddKillSwitchAction(new PassingAction("flatten"))
            .AddKillSwitchAction(new FailingAction("venue-mass-cancel"))
            .Build();
        await runtime.StartAsync();

        runtime.System.StateMachine.Halt("carol", "runaway algo");
        await runtime.System.StateMachine.FlushObserversAsync().WaitAsync(Wait);
        await runtime.System.KillSwitch.WhenIdleAsync().WaitAsync(Wait);
        await runtime.StopAsync().WaitAsync(Wait);

        var halt = runtime.System.StateMachine.GetHistory().Last(t => t.To == SystemMode.Halt).Sequence;
        var outcomes = store.Records.Where(r => r.Action == "kill_switch_action").ToList();
        Assert.Equal(2, outcomes.Count); // outcomes only: "running" is not audited
        var failed = Assert.Single(outcomes, r => r.Reason == "venue-mass-cancel");
        Assert.Equal((AuditEntryKind.OperatorAction, nameof(KillSwitchActionStatus.Failed)), (failed.Kind, failed.To));
        Assert.StartsWith($"halt #{halt}: ", failed.Details, StringComparison.Ordinal);
        Assert.Contains("venue refused the mass-cancel", failed.Details, StringComparison.Ordinal);
        var passed = Assert.Single(outcomes, r => r.Reason == "flatten");
        Assert.Equal(nameof(KillSwitchActionStatus.Succeeded), passed.To);
        Assert.Equal(_time.GetUtcNow(), passed.WallTime);
    }

    [Fact]
    public async Task Record_only_events_reach_every_store_once()
    {
        var store = new RecordingStore();
        var trail = new AuditTrail(_time);
        await using var runtime = Builder().AddAuditStore(store).AddAuditStore(trail).Build();
        await runtime.StartAsync();

        runtime.System.Bus.Publish(EventType.Heartbeat, ComponentId.Broker, ReasonCode.PositionsReconciled, "3 position(s) match the broker");
        await runtime.System.Bus.DrainAsync().WaitAsync(Wait);
        await runtime.StopAsync().WaitAsync(Wait);

        var record = Assert.Single(store.Records, r => r.Action == ReasonCode.PositionsReconciled.Value);
        Assert.Equal((AuditEntryKind.Other, "broker", "3 position(s) match the broker"), (record.Kind, record.Component, record.Details));
        Assert.Single(trail.GetEntries(), e => e.Record.Action == ReasonCode.PositionsReconciled.Value);
    }

    [Fact]
    public async Task A_store_that_refuses_records_is_counted_and_reported_and_the_other_stores_still_get_them()
    {
        var store = new RecordingStore();
        await using var runtime = Builder().AddAuditStore(new TransitionsOnlyStore()).AddAuditStore(store).Build();
        var failures = new ConcurrentQueue<(AuditRecord Record, Exception Error)>();
        runtime.AuditFailed += (record, error) => failures.Enqueue((record, error));
        await runtime.StartAsync();

        new FeatureDegradationController(timeProvider: _time, audit: runtime.Audit).SetLevel(FeatureDegradationLevel.DegradedL1, "backup feed");
        await runtime.StopAsync().WaitAsync(Wait);

        Assert.Single(store.Records, r => r.Kind == AuditEntryKind.Feature);
        Assert.Equal(1, runtime.AuditFailures);
        var (refused, error) = Assert.Single(failures);
        Assert.Equal("feature.level_changed", refused.Action);
        Assert.IsType<NotSupportedException>(error);
        Assert.Contains(nameof(TransitionsOnlyStore), error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_alert_acknowledgement_reaches_every_store_not_only_a_trail()
    {
        var store = new RecordingStore();
        await using var runtime = Builder().AddAuditStore(store).AddAlertChannel("pager", new NullSink()).Build();
        await runtime.StartAsync();

        runtime.Alerts.Publish(new Alert { Severity = Severity.Critical, Audience = AlertAudiences.OnCall, Title = "venue unreachable", Time = _time.GetUtcNow() });
        var tracked = Assert.Single(runtime.Alerts.GetAlerts(), a => a.Alert.Title == "venue unreachable");
        Assert.Equal(AcknowledgeOutcome.Acknowledged, runtime.Alerts.Acknowledge(tracked.Alert.Id, "erin", "on it"));
        await runtime.StopAsync().WaitAsync(Wait);

        var acknowledged = Assert.Single(store.Records, r => r.Action == "alert.acknowledged");
        Assert.Equal((AuditEntryKind.OperatorAction, "erin", "on it"), (acknowledged.Kind, acknowledged.OperatorId, acknowledged.Reason));
    }

    private sealed class NullSink : IAlertSink
    {
        public ValueTask SendAsync(Alert alert, CancellationToken cancellationToken) => ValueTask.CompletedTask;
    }

    [Fact]
    public async Task Without_audit_stores_records_go_nowhere_and_nothing_fails()
    {
        await using var runtime = Builder().Build();
        await runtime.StartAsync();
        await runtime.Audit.AppendAsync(AuditRecord.OperatorAction("load.reset", "alice", "drill", _time.GetUtcNow()), CancellationToken.None);
        await runtime.StopAsync().WaitAsync(Wait);
        Assert.Equal(0, runtime.AuditFailures);
    }
}
