using Degradation;
using TradingHost.Simulation;

namespace TradingHost.Scenarios.Catalog;

/// <summary>The database goes down: writes go to the write buffer (file WAL), trading continues Degraded, replay keeps order.</summary>
public sealed class DatabaseOutageScenario : Scenario
{
    public override string Name => "db-outage";
    public override string Description => "database down: writes buffered in the WAL, replayed in order when it is back";
    public override IReadOnlyList<string> ExpectedTransitions { get; } = ["Degraded:db.write_fail_buffered", "Normal:all.healthy"];

    public override async Task RunAsync(ScenarioContext c, CancellationToken ct)
    {
        await c.DelayAsync(TimeSpan.FromSeconds(3), ct);
        var env = c.Env;
        c.Fault("database goes down");
        env.Database.Fault.Set(FaultKind.Down);
        await c.WaitForModeAsync(SystemMode.Degraded, ct);
        await c.DelayAsync(TimeSpan.FromSeconds(30), ct);
        var buffered = env.Writer.Buffered;
        c.Expect(buffered > 0, "no write was buffered during the outage");
        var walFiles = Directory.Exists(env.WalDirectory) ? Directory.GetFiles(env.WalDirectory, "*", SearchOption.AllDirectories) : [];
        var walBytes = walFiles.Sum(f => new FileInfo(f).Length);
        c.Expect(walBytes > 0, $"the file WAL in {env.WalDirectory} is empty while {buffered} writes are buffered");
        c.Result.Notes.Add($"{buffered} writes durable in the file WAL during the outage ({walFiles.Length} file(s), {walBytes:N0} bytes), replayed in order");
        env.Database.Fault.Clear();
        c.Cleared($"database is back ({buffered} writes buffered); the writer replays them");
        await c.WaitForModeAsync(SystemMode.Normal, ct);
    }
}
