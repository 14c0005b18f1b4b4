using Degradation;
using Degradation.Events;

namespace TradingHost.Scenarios.Catalog;

/// <summary>Scoped gates: venue A's broker disconnects; venue A stops at once, venue B keeps trading; venue A's own staged recovery reopens it.</summary>
public sealed class VenueOutageScenario : Scenario
{
    private const string VenueA = "venue-a", StrategyA = "venue-a/acct-1/strat-x", VenueB = "venue-b", StrategyB = "venue-b/acct-2/strat-y";

    public override string Name => "venue-outage";
    public override string Description => "venue A disconnects while venue B keeps trading; venue A recovers on its own";
    public override IReadOnlyList<string> ExpectedTransitions { get; } = []; // the process never changes mode

    public static readonly IReadOnlyDictionary<string, string[]> ExpectedScopeTransitions = new Dictionary<string, string[]>
    {
        [VenueA] = ["SafeModeDisconnected:broker.disconnect", "Recovering/ConnectBroker:broker.reconnected", .. ScenarioCatalog.RecoveryToNormal],
    };

    public override async Task RunAsync(ScenarioContext c, CancellationToken ct)
    {
        using var scopes = new ScopeWatch(c);
        if (!await scopes.AddAsync(ct, VenueA, StrategyA, VenueB, StrategyB)) return;
        var stepsRun = 0;
        scopes[VenueA].Recovery!.AddStep(RecoveryStage.ConnectBroker, "reconnect venue-a session", _ => { Interlocked.Increment(ref stepsRun); return ValueTask.CompletedTask; });

        c.Log("venue A's broker session drops (must-deliver broker.disconnect in venue A's scope)");
        // The sample has no probe per venue: reports carry a long TTL so the silent session is not also reported stale.
        scopes[VenueA].ReportFailure(ComponentId.Broker, ReasonCode.BrokerDisconnect, "venue A session lost", ScopeWatch.ReportTtl);
        scopes.ExpectGate(StrategyA, open: false, "right after venue A's disconnect");
        scopes.ExpectGate(StrategyB, open: true, "right after venue A's disconnect");
        c.Expect(c.Env.Gate.Allows(ActionType.Send), "the process gate closed for one venue's outage");

        var (allowedB, refusedA) = (0, 0);
        var until = c.Env.Time.GetTimestamp() + (long)(10 * c.Env.Time.TimestampFrequency);
        while (c.Env.Time.GetTimestamp() < until)
        {
            if (scopes.Allows(StrategyB)) allowedB++;
            if (!scopes.Allows(StrategyA)) refusedA++;
            await c.DelayAsync(TimeSpan.FromMilliseconds(100), ct);
        }
        c.Log($"during 10 s of outage: venue B allowed {allowedB} sampled sends, venue A refused {refusedA}");
        c.Expect(allowedB > 0 && refusedA > 0, "the outage was not observed on both venues");
        scopes.ExpectGate(StrategyB, open: true, "during venue A's outage");
        scopes.ExpectGate(StrategyA, open: false, "during venue A's outage");

        c.Log("venue A reconnects: after the minimum safe-mode dwell, venue A runs its own staged recovery");
        scopes[VenueA].Bus.Publish(EventType.Recovered, ComponentId.Broker, ReasonCode.BrokerReconnected, "venue A session re-established", ScopeWatch.ReportTtl);
        await c.WaitUntilAsync(() => scopes.Allows(StrategyA), "venue A to trade again", ct);
        c.Expect(Volatile.Read(ref stepsRun) == 1, $"venue A's recovery step ran {stepsRun} times, expected once");
        await scopes.CompareAsync(ExpectedScopeTransitions, ct);
    }
}
