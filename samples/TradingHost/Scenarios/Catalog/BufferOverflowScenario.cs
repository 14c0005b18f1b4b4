using Degradation;
using TradingHost.Simulation;

namespace TradingHost.Scenarios.Catalog;

/// <summary>A long database outage fills a small write buffer: db.buffer_overflow → SafeMode; nothing is lost.</summary>
public sealed class BufferOverflowScenario : Scenario
{
    public const int MaxEntries = 40;

    public override string Name => "buffer-overflow";
    public override string Description => $"database down long enough to fill the buffer (Buffer:MaxEntries={MaxEntries}): SafeMode";
    public override IReadOnlyList<string> ExpectedTransitions { get; } =
        ["Degraded:db.write_fail_buffered", "SafeMode:db.buffer_overflow", "Recovering/ConnectBroker", .. ScenarioCatalog.RecoveryToNormal];

    public override void Configure(DegradationOptions options) => options.Buffer.MaxEntries = MaxEntries;

    public override async Task RunAsync(ScenarioContext c, CancellationToken ct)
    {
        await c.DelayAsync(TimeSpan.FromSeconds(3), ct);
        var env = c.Env;
        c.Fault("database goes down and stays down");
        env.Database.Fault.Set(FaultKind.Down);
        await c.WaitForModeAsync(SystemMode.SafeMode, ct);
        await c.DelayAsync(TimeSpan.FromSeconds(3), ct);
        env.Database.Fault.Clear();
        c.Cleared($"database is back ({env.Writer.Buffered} buffered, {env.Writer.RefusedByBuffer} refusals at the bound held in memory)");
        await c.WaitForModeAsync(SystemMode.Normal, ct);
    }
}
