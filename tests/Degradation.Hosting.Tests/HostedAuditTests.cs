using System.Collections.Concurrent;
using Degradation.Audit;
using Degradation.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;

namespace Degradation.Tests;

/// <summary>
/// The hosted runtime audits kill-switch outcomes and record-only events in every audit store (the runtime does it; the
/// host only logs), an audit trail registered as itself is one of those stores, and a store that refuses records is logged.
/// </summary>
public class HostedAuditTests
{
    private sealed class RecordsStore : IAuditStore
    {
        public ConcurrentQueue<AuditRecord> Records { get; } = new();

        public ValueTask AppendAsync(ModeTransition transition, CancellationToken cancellationToken) => ValueTask.CompletedTask;

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

    [Fact]
    public async Task A_kill_switch_outcome_and_a_record_only_event_reach_every_audit_store_once()
    {
        var time = new FakeTimeProvider(FakeTimeProviderExtensions.TestStart);
        var builder = TestHosts.Builder(time: time);
        builder.Services.AddSingleton<FailClosedHostingTests.MassCancelLog>();
        builder.Services.AddSingleton(new AuditTrail(time)); // registered as itself, not as an IAuditStore
        builder.Services.AddGracefulDegradation().AddKillSwitchAction<FailClosedHostingTests.RecordingMassCancel>().AddAuditStore<RecordsStore>();
        using var host = builder.Build();
        await host.StartAsync();
        var runtime = host.Services.GetRequiredService<DegradationRuntime>();
        var system = runtime.System;

        system.StateMachine.Halt("alice", "runaway algo");
        await system.StateMachine.FlushObserversAsync().WaitAsync(TestHosts.HangGuard);
        await system.KillSwitch.WhenIdleAsync().WaitAsync(TestHosts.HangGuard);
        system.Bus.Publish(EventType.Heartbeat, ComponentId.Broker, ReasonCode.PositionsReconciled, "2 position(s) match the broker");
        await system.Bus.DrainAsync().WaitAsync(TestHosts.HangGuard);
        await runtime.FlushAuditAsync().WaitAsync(TestHosts.HangGuard);

        var store = (RecordsStore)host.Services.GetServices<IAuditStore>().Single();
        var outcome = Assert.Single(store.Records, r => r.Action == "kill_switch_action");
        Assert.Equal(("mass-cancel", "Succeeded", AuditEntryKind.OperatorAction), (outcome.Reason, outcome.To, outcome.Kind));
        Assert.Single(store.Records, r => r.Action == ReasonCode.PositionsReconciled.Value);

        var trail = host.Services.GetRequiredService<AuditTrail>();
        var entries = trail.GetEntries();
        Assert.Single(entries, e => e.Record.Action == "kill_switch_action");
        Assert.Single(entries, e => e.Record.Action == ReasonCode.PositionsReconciled.Value);
        Assert.Contains(entries, e => e.Record.Kind == AuditEntryKind.OperatorAction && e.Record.OperatorId == "alice"); // the Halt transition itself
        Assert.True(trail.Verify().IsValid);
        Assert.Equal(0, runtime.AuditFailures);
        await host.StopAsync();
    }

    [Fact]
    public async Task A_store_that_refuses_records_is_logged_naming_the_record()
    {
        var logs = new CapturingLoggerProvider();
        var builder = TestHosts.Builder(logs: logs);
        builder.Services.AddGracefulDegradation().AddAuditStore<TransitionsOnlyStore>();
        using var host = builder.Build();
        await host.StartAsync();
        var runtime = host.Services.GetRequiredService<DegradationRuntime>();

        await runtime.Audit.AppendAsync(AuditRecord.OperatorAction("load.reset", "alice", "drill", FakeTimeProviderExtensions.TestStart), CancellationToken.None);
        await runtime.FlushAuditAsync().WaitAsync(TestHosts.HangGuard);

        Assert.Equal(1, runtime.AuditFailures);
        var entry = Assert.Single(logs.Entries, e => e.Id.Id == 1013);
        Assert.Equal(LogLevel.Error, entry.Level);
        Assert.Contains("load.reset", entry.Message, StringComparison.Ordinal);
        await host.StopAsync();
    }
}
