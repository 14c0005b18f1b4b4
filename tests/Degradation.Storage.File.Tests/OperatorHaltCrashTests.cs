using Xunit.Abstractions;

namespace Degradation.Tests.Storage;

/// <summary>
/// The kill switch survives a crash: a child process halts its system as an operator (the file operator state
/// store fsyncs the Halt before the command returns), is killed with SIGKILL, and a new process over the same
/// data directory is halted from its very first gate check and never allows Send, whatever it tries short of a
/// Halt release.
/// </summary>
public sealed class OperatorHaltCrashTests(ITestOutputHelper output)
{
    private const int Seed = 20261130;
    private const int Trials = 3;
    private static readonly TimeSpan ChildTimeout = TimeSpan.FromSeconds(120);

    [Fact]
    public async Task A_halted_host_killed_with_SIGKILL_restarts_halted_and_never_allows_Send()
    {
        var random = new Random(Seed);
        output.WriteLine($"seed {Seed}, trials {Trials}, child {ChildProcess.ChildDll}");
        for (var trial = 0; trial < Trials; trial++)
        {
            using var directory = new TempDirectory();
            using (var halting = ChildProcess.Start("halt", directory.Path))
            {
                Assert.Equal("HALTED True", await halting.WaitForLineAsync("HALTED", ChildTimeout));
                // Kill at a random moment of the halted host's life (right away, or while it heartbeats on).
                var linger = random.Next(0, 4) * 25;
                if (linger > 0) await Task.Delay(linger);
                await halting.KillAsync();
            }

            using var restarted = ChildProcess.Start("restart", directory.Path);
            await restarted.WaitForLineAsync("RELEASED", ChildTimeout);
            await restarted.WaitForExitAsync().WaitAsync(ChildTimeout);
            var lines = restarted.CompleteLines();
            output.WriteLine($"trial {trial}: {string.Join(" | ", lines)}");
            Assert.Contains("FIRST Halt False", lines); // the very first gate check after the restart
            Assert.Contains("SENDS 0", lines);
            Assert.Contains("MODE Halt", lines);
            Assert.Contains("RELEASED True Recovering", lines);
        }
    }
}
