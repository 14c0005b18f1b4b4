using Degradation;
using Degradation.Load;

namespace TradingHost.Scenarios.Catalog;

/// <summary>Load spike: consumer lag spikes; the load monitor climbs through the shedding levels and the shedder drops low-priority symbols first.</summary>
public sealed class LoadSpikeScenario : Scenario
{
    private static readonly string[] Symbols = ["ES", "NQ", "CL", "GC", "ZB", "6E"];

    public override string Name => "load-spike";
    public override string Description => "market-data lag spike: shedding levels Soft → CircuitBreak and back";
    public override IReadOnlyList<string> ExpectedTransitions { get; } = ["Degraded:load.circuit_break", "Normal:all.healthy"];

    public override async Task RunAsync(ScenarioContext c, CancellationToken ct)
    {
        var env = c.Env;
        var monitor = new LoadLevelMonitor(new LoadDegradationOptions { RecoveryCooldownSeconds = 2, CriticalSymbols = ["ES", "NQ"] }, env.Time, env.System.Bus);
        var shedder = new LoadShedder(new LoadSheddingOptions { Tier1Symbols = ["ES"], Tier2Symbols = ["NQ"] }, monitor);
        var processed = new Dictionary<LoadLevel, (long In, long Out)>();
        // Lag (messages) per 200 ms step: ramp up to 6 M, hold, drain back to 0. Heap stays low.
        long[] ramp = [0, 50_000, 150_000, 300_000, 600_000, 900_000, 1_200_000, 3_000_000, 6_000_000, 6_000_000, 6_000_000];
        long[] drain = [3_000_000, 1_500_000, 800_000, 400_000, 200_000, 100_000, 40_000, 10_000, 0];
        c.Fault("market-data consumer lag starts climbing");
        var script = ramp.Concat(Enumerable.Repeat(6_000_000L, 10)).Select(l => (Lag: l, Draining: false))
            .Concat(drain.Concat(Enumerable.Repeat(0L, 30)).Select(l => (Lag: l, Draining: true)));
        foreach (var (lag, draining) in script)
        {
            if (draining && c.ClearedAt is null) c.Cleared("consumer catches up, lag drains");
            var level = monitor.Evaluate(lag, heapPercent: 20);
            var (inCount, outCount) = processed.GetValueOrDefault(level);
            foreach (var symbol in Symbols)
            {
                if (shedder.ShouldProcess(symbol, level)) inCount++;
                else outCount++;
            }
            processed[level] = (inCount, outCount);
            await c.DelayAsync(TimeSpan.FromMilliseconds(500), ct);
        }
        var history = monitor.GetHistory();
        var path = string.Join(" → ", new[] { LoadLevel.Normal }.Concat(history.Select(h => h.To)));
        c.Result.Notes.Add("load levels: " + path);
        c.Result.Notes.Add("symbols processed/shed per level: " + string.Join(", ", processed.OrderBy(p => p.Key).Select(p => $"{p.Key} {p.Value.In}/{p.Value.Out}")));
        var up = history.TakeWhile(h => h.To > h.From).Select(h => h.To).ToArray();
        c.Expect(up.SequenceEqual([LoadLevel.Soft, LoadLevel.Graceful, LoadLevel.Aggressive, LoadLevel.CircuitBreak]),
            $"levels climbed {string.Join(" → ", up)}, expected Soft → Graceful → Aggressive → CircuitBreak");
        c.Expect(monitor.Level == LoadLevel.Normal, $"load level ended at {monitor.Level}");
        c.Expect(processed.GetValueOrDefault(LoadLevel.CircuitBreak).In > 0 && processed[LoadLevel.CircuitBreak].Out > 0,
            "CircuitBreak did not keep the critical symbols while shedding the rest");
        await c.WaitForModeAsync(SystemMode.Normal, ct);
    }
}
