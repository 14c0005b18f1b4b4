using Degradation.Testing;

namespace Degradation.Tests.Composition;

/// <summary>The builder quick start in Core's README compiles and runs: its code is the marked region below, verbatim.</summary>
public class ReadmeQuickStartTests
{
    [Fact]
    public void The_readme_shows_the_quick_start_compiled_here()
    {
        var readme = File.ReadAllText(Path.Combine(RepositoryPaths.Root, "src", "Degradation.Core", "README.md")).ReplaceLineEndings("\n");
        var source = File.ReadAllText(Path.Combine(RepositoryPaths.Root, "tests", "Degradation.Core.Tests", "Composition", "ReadmeQuickStartTests.cs")).ReplaceLineEndings("\n");
        const string Begin = "        // README begin\n", End = "        // README end\n";
        var start = source.IndexOf(Begin, StringComparison.Ordinal) + Begin.Length;
        var region = source[start..source.IndexOf(End, start, StringComparison.Ordinal)];
        var code = string.Join("\n", region.Split('\n').Select(line => line.Length >= 8 ? line[8..] : line.TrimStart()));
        Assert.Contains(code + "```", readme); // the block's usings precede it; the snippet test compiles the block as written
    }

    [Fact]
    public async Task The_quick_start_runs_to_a_clean_stop() =>
        await QuickStartAsync().WaitAsync(TimeSpan.FromSeconds(60)); // an upper bound for a hung test, not a timing assumption

    private static async Task QuickStartAsync()
    {
        // README begin
        await using var runtime = await new DegradationSystemBuilder(new DegradationOptions { SafeMode = { MinDwell = TimeSpan.FromSeconds(30) } })
            .AddProbe(new BrokerProbe(), critical: true, p => p.Interval = TimeSpan.FromSeconds(1))
            .AddRecoveryStep(RecoveryStage.ConnectBroker, new ReconnectBrokerStep())
            .UseInMemoryWal()                  // a demo; in production UseFileWal("data/wal") from Degradation.Storage.File
            .AddWriteBuffer(new OrdersTable())
            .BuildAsync();                     // operator state restored, log and buffer open; nothing runs yet
        await runtime.StartAsync();            // audit, alerts, recovery, event bus, and the probes last

        if (runtime.Gate.Allows(ActionType.Send)) { /* send the order */ }
        await runtime.WriteBuffer!.EnqueueAsync("fill-42", "fill", "42", "{}"u8.ToArray()); // durable before it returns

        await runtime.StopAsync();             // probes first, the bus drained, the log flushed last
        // README end
        Assert.False(runtime.IsRunning);
    }

    private sealed class BrokerProbe : IProbe
    {
        public ComponentId Component => ComponentId.Broker;

        public ValueTask<ProbeResult> ProbeAsync(CancellationToken cancellationToken) => ValueTask.FromResult(ProbeResult.Healthy());
    }

    private sealed class ReconnectBrokerStep : IRecoveryStep
    {
        public string Name => "reconnect broker";

        public ValueTask<RecoveryStepResult> ExecuteAsync(RecoveryStepContext context, CancellationToken cancellationToken) =>
            ValueTask.FromResult(RecoveryStepResult.Success());
    }

    private sealed class OrdersTable : IBufferedWriteTarget
    {
        public ValueTask WriteAsync(WalEntry entry, CancellationToken cancellationToken) => ValueTask.CompletedTask;

        public ValueTask<bool> IsAppliedAsync(WalEntry entry, CancellationToken cancellationToken) => ValueTask.FromResult(false);
    }
}
