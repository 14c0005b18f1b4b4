using Microsoft.Extensions.Time.Testing;
using Degradation.Testing;

namespace Degradation.Tests.Recovery;

/// <summary>positions_reconciled: a record-only bus reason that reaches the audit trail and never loosens the mode by itself.</summary>
public class PositionsReconciledTests
{
    private readonly FakeTimeProvider _time = new(FakeTimeProviderExtensions.TestStart);

    private static PositionReconciliationStep Step(IReadOnlyDictionary<string, decimal> local, IReadOnlyDictionary<string, decimal> broker, EventBus bus) =>
        new(_ => ValueTask.FromResult(local), _ => ValueTask.FromResult(broker), bus: bus);

    private RecoveryStepContext Context() => new(new RecoveryRunId(7), RecoveryTrigger.Auto, RecoveryStage.VerifyRisk, 1, _time);

    [Fact]
    public async Task A_reconciliation_that_agrees_publishes_positions_reconciled_and_one_that_differs_does_not()
    {
        await using var system = NormalSystems.Create(_time);
        var events = new List<SystemEvent>();
        using var subscription = system.Bus.Subscribe(events.Add);
        var positions = new Dictionary<string, decimal> { ["ES"] = 2, ["NQ"] = -1 };

        var agreed = await Step(positions, new Dictionary<string, decimal>(positions), system.Bus).ExecuteAsync(Context(), CancellationToken.None);
        system.Bus.ProcessPending();
        Assert.Equal(RecoveryStepStatus.Succeeded, agreed.Status);
        var e = Assert.Single(events);
        Assert.Equal((EventType.Heartbeat, ComponentId.Broker, ReasonCode.PositionsReconciled), (e.Type, e.Component, e.Reason));
        Assert.Equal("positions_reconciled", e.Reason.Value);
        Assert.Contains("recovery run 7", e.Details);

        var differed = await Step(positions, new Dictionary<string, decimal> { ["ES"] = 3 }, system.Bus).ExecuteAsync(Context(), CancellationToken.None);
        system.Bus.ProcessPending();
        Assert.NotEqual(RecoveryStepStatus.Succeeded, differed.Status);
        Assert.Single(events); // only broker.mismatch (through the orchestrator) speaks for a difference
    }

    [Theory]
    [InlineData(EventType.Heartbeat)]
    [InlineData(EventType.Recovered)] // even sent as a recovery it clears nothing
    [InlineData(EventType.FailSupport)]
    public async Task Positions_reconciled_never_loosens_the_mode_by_itself(EventType type)
    {
        await using var system = NormalSystems.Create(_time);
        system.ReportFailure(ComponentId.Broker, ReasonCode.BrokerDisconnect);
        system.Bus.ProcessPending();
        Assert.Equal(SystemMode.SafeModeDisconnected, system.Gate.Mode);
        var before = system.StateMachine.GetConditions().Select(c => (c.Component, c.Reason)).ToList();

        system.Bus.Publish(type, ComponentId.Broker, ReasonCode.PositionsReconciled, "3 position(s) match the broker");
        system.Bus.ProcessPending();
        system.StateMachine.Tick();

        Assert.Equal(SystemMode.SafeModeDisconnected, system.Gate.Mode);
        Assert.Equal(before, system.StateMachine.GetConditions().Select(c => (c.Component, c.Reason)));
        Assert.True(system.Policy.IsRecordOnly(ReasonCode.PositionsReconciled));
    }

    [Fact]
    public void Mapping_positions_reconciled_to_a_loosening_mode_must_be_accepted_on_purpose()
    {
        var options = new DegradationOptions();
        options.DecisionMatrix[ReasonCode.PositionsReconciled.Value] = SystemMode.Normal;
        var error = Assert.Single(options.Validate());
        Assert.Contains("positions_reconciled", error, StringComparison.Ordinal);
        Assert.Contains("AllowLoosening", error, StringComparison.Ordinal);

        options.AllowLoosening.Add(ReasonCode.PositionsReconciled.Value);
        var policy = new DegradationPolicy(options);
        Assert.False(policy.IsRecordOnly(ReasonCode.PositionsReconciled));
        Assert.Contains(policy.LoosenedReasons, r => r.StartsWith("positions_reconciled", StringComparison.Ordinal));

        var stricter = new DegradationOptions();
        stricter.DecisionMatrix[ReasonCode.PositionsReconciled.Value] = SystemMode.Degraded; // tightening needs no permission
        Assert.Empty(stricter.Validate());
    }

    [Fact]
    public async Task A_mapped_positions_reconciled_acts_like_its_row()
    {
        var options = new DegradationOptions();
        options.DecisionMatrix[ReasonCode.PositionsReconciled.Value] = SystemMode.Degraded;
        await using var system = NormalSystems.Create(_time, options);
        system.Bus.Publish(EventType.Heartbeat, ComponentId.Broker, ReasonCode.PositionsReconciled);
        system.Bus.ProcessPending();
        Assert.Equal(SystemMode.Degraded, system.Gate.Mode);
    }

    [Fact]
    public async Task The_audit_trail_records_every_positions_reconciled_event()
    {
        await using var system = NormalSystems.Create(_time);
        var audit = new AuditTrail(_time);
        using (audit.FollowRecordedEvents(system.Bus))
        {
            system.Bus.Publish(EventType.Heartbeat, ComponentId.Broker, ReasonCode.PositionsReconciled, "2 position(s) match the broker");
            system.Heartbeat(ComponentId.Risk); // not a record-only reason: not audited here
            system.Bus.ProcessPending();
        }
        system.Bus.Publish(EventType.Heartbeat, ComponentId.Broker, ReasonCode.PositionsReconciled, "after unsubscribing");
        system.Bus.ProcessPending();

        var entry = Assert.Single(audit.GetEntries());
        Assert.Equal((AuditEntryKind.Other, "positions_reconciled", "broker", "2 position(s) match the broker"), (entry.Record.Kind, entry.Record.Action, entry.Record.Component, entry.Record.Details));
        Assert.True(audit.Verify().IsValid);
    }
}
