using System.Collections.Concurrent;
using Degradation;
using Degradation.Events;
using Degradation.Recovery;
using TradingHost.Simulation;

namespace TradingHost.Scenarios.Catalog;

/// <summary>
/// Chaos test 3: while the broker is down, position queries are answered from the cache, marked cache-only and, once
/// old enough, stale; the reconnect's recovery run drops the cache (a value read before the outage can no longer be
/// stored), reconciles positions with the broker, which publishes positions_reconciled on the event bus (recorded in the
/// audit trail, loosening nothing by itself), and the cache is refilled from the broker.
/// </summary>
public sealed class StaleCacheScenario : Scenario
{
    private const string Instrument = "ES";

    public override string Name => "stale-cache";
    public override string Description => "broker down: cached positions served as stale, refreshed on reconnect (chaos test 3)";
    public override IReadOnlyList<string> ExpectedTransitions { get; } =
        ["SafeModeDisconnected:broker.disconnect", "Recovering/ConnectBroker:broker.reconnected", .. ScenarioCatalog.RecoveryToNormal];

    public override async Task RunAsync(ScenarioContext c, CancellationToken ct)
    {
        var env = c.Env;
        var positions = env.Caches.Positions;
        var reconciled = new ConcurrentQueue<PositionReconciliation>();
        env.Reconciliation.PositionsReconciled += reconciled.Enqueue;
        var auditedBefore = env.Audit.GetEntries().Count(e => e.Record.Action == ReasonCode.PositionsReconciled.Value); // the cold start's run reconciled too
        var busEvents = new ConcurrentQueue<SystemEvent>();
        using var busSubscription = env.System.Bus.Subscribe(e =>
        {
            if (e.Reason == ReasonCode.PositionsReconciled) busEvents.Enqueue(e);
        });
        try
        {
            // Before the outage: the application caches the broker's positions.
            var capturedBeforeOutage = env.Time.GetTimestamp();
            var brokerPositions = await env.Broker.GetPositionsAsync(ct);
            var held = brokerPositions.GetValueOrDefault(Instrument);
            positions.Set(Instrument, held, "broker");
            var before = positions.Answer(Instrument, env.Gate);
            c.Expect(before.Found && !before.CacheOnly && !before.IsStale, "before the outage: " + before.Message);

            env.Broker.Fault.Set(FaultKind.Down);
            c.Fault("broker drops the connection; position queries fall back to the cache");
            c.PublishMustDeliver(() => env.System.ReportFailure(ComponentId.Broker, ReasonCode.BrokerDisconnect, "connection lost"));

            await c.DelayAsync(TimeSpan.FromSeconds(5), ct);
            var early = positions.Answer(Instrument, env.Gate);
            c.Log("query 5 s into the outage: " + early.Message);
            c.Expect(early.Found && early.CacheOnly && !early.IsStale && early.Reading.Value == held,
                "5 s into the outage the cached position must be served, cache-only and fresh: " + early.Message);

            await c.DelayAsync(positions.StaleAfter + TimeSpan.FromSeconds(2), ct);
            var late = positions.Answer(Instrument, env.Gate);
            c.Log("query after the staleness threshold: " + late.Message);
            c.Expect(late.Found && late.CacheOnly && late.IsStale && late.Reading.Value == held,
                "past the staleness threshold the cached position must still be served, marked stale: " + late.Message);
            c.Expect(env.Gate.Mode == SystemMode.SafeModeDisconnected, $"mode during the outage was {env.Gate.Mode}");

            env.Strategy.ClearFence();
            env.Broker.Fault.Clear();
            c.Cleared("broker reconnects (publishes broker.reconnected); recovery invalidates the caches and reconciles positions");
            env.System.Bus.Publish(EventType.Recovered, ComponentId.Broker, ReasonCode.BrokerReconnected, "session re-established");
            await c.WaitForModeAsync(SystemMode.Normal, ct);

            var afterRecovery = positions.Answer(Instrument, env.Gate);
            c.Expect(!afterRecovery.Found, "after the reconnect the pre-outage position must be gone: " + afterRecovery.Message);
            c.Expect(!positions.TrySet(Instrument, held, "late reply from before the outage", capturedBeforeOutage),
                "a position read before the outage was stored after the invalidation");
            c.Expect(!reconciled.IsEmpty && reconciled.All(r => r.IsReconciled),
                $"positions_reconciled: {reconciled.Count} signal(s), {reconciled.Count(r => !r.IsReconciled)} diverged");
            await env.System.Bus.DrainAsync(ct);
            c.Expect(!busEvents.IsEmpty && busEvents.All(e => e.Component == ComponentId.Broker),
                $"positions_reconciled must be published on the event bus by the broker's reconciliation ({busEvents.Count} event(s))");
            var audited = env.Audit.GetEntries().Count(e => e.Record.Action == ReasonCode.PositionsReconciled.Value) - auditedBefore;
            c.Expect(audited == busEvents.Count, $"every positions_reconciled event must be in the audit trail ({audited} of {busEvents.Count})");

            var refreshedAt = env.Time.GetTimestamp();
            var refreshed = await env.Broker.GetPositionsAsync(ct);
            c.Expect(positions.TrySet(Instrument, refreshed.GetValueOrDefault(Instrument), "broker", refreshedAt), "the refreshed position was refused");
            var after = positions.Answer(Instrument, env.Gate);
            c.Log("query after the reconnect: " + after.Message);
            c.Expect(after.Found && !after.CacheOnly && !after.IsStale, "after the refresh the position must be fresh: " + after.Message);

            c.Result.Notes.Add($"outage: cached position served cache-only ({early.Reading.Age.TotalSeconds:0} s old, fresh), then stale ({late.Reading.Age.TotalSeconds:0} s old > {positions.StaleAfter.TotalSeconds:0} s)");
            c.Result.Notes.Add($"reconnect: cache invalidated (pre-outage value refused), {busEvents.Count} positions_reconciled event(s) on the bus and in the audit trail, refreshed from the broker ({after.Reading.Age.TotalSeconds:0} s old)");
        }
        finally
        {
            env.Reconciliation.PositionsReconciled -= reconciled.Enqueue;
        }
    }
}
