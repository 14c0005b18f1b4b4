using Degradation;
using Degradation.Recovery;

namespace TradingHost.Scenarios.Catalog;

/// <summary>Chaos test 2: the broker accepts orders but the responses time out; retries must not duplicate them.</summary>
public sealed class OrderTimeoutScenario : Scenario
{
    private const int Orders = 20;
    private const int Dropped = 5;

    public override string Name => "order-timeout";
    public override string Description => "network timeout after the broker accepted orders; idempotent retry, no duplicate (chaos test 2)";
    public override IReadOnlyList<string> ExpectedTransitions { get; } = [];

    public override async Task RunAsync(ScenarioContext c, CancellationToken ct)
    {
        var env = c.Env;
        c.Fault($"the next {Dropped} broker responses are lost (orders accepted, replies time out)");
        env.Broker.DropResponses(Dropped);
        var tasks = Enumerable.Range(1, Orders).Select(i => env.Router.SendAsync($"cl-{i:D4}", "ES", 1, ct)).ToArray();
        var results = await Task.WhenAll(tasks);
        var found = results.Count(r => r.FoundExisting);
        var submissions = results.Sum(r => r.Submissions);
        c.Log($"{Orders} orders: {found} found at the broker by the idempotency check after a timeout, {submissions} submissions in all");
        c.Result.Notes.Add($"{Orders} orders, {Dropped} responses dropped: {found} found by the idempotency check on retry, {submissions} submissions, broker holds {env.Broker.OrdersAccepted}");
        c.Expect(found == Dropped, $"{found} orders were found on retry, expected {Dropped}");
        c.Expect(submissions == Orders, $"{submissions} submissions for {Orders} orders (a retry re-sent an accepted order)");
        c.Expect(env.Broker.OrdersAccepted == Orders, $"the broker holds {env.Broker.OrdersAccepted} orders, expected {Orders}");
        var positions = await env.Broker.GetPositionsAsync(ct);
        var diff = PositionReconciliationStep.Compare(env.Book.Snapshot(), positions);
        c.Expect(diff.Count == 0, "book and broker differ: " + string.Join("; ", diff));
        await c.DelayAsync(TimeSpan.FromSeconds(2), ct);
    }
}
