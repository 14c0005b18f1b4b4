using Degradation.Storage.File;
using Xunit.Abstractions;

namespace Degradation.Tests.Storage;

/// <summary>
/// An account's kill switch survives a crash: a child process halts one account (the file store fsyncs the scope's Halt
/// before the command returns), is killed with SIGKILL, and a new process over the same data directory has that account
/// halted from its very first gate check, never allows it Send short of a Halt release, and leaves the other account alone.
/// </summary>
public sealed class ScopeHaltCrashTests(ITestOutputHelper output)
{
    private const int Seed = 20261201;
    private const int Trials = 2;
    private static readonly TimeSpan ChildTimeout = TimeSpan.FromSeconds(120);

    [Fact]
    public async Task A_halted_account_killed_with_SIGKILL_restarts_halted_and_never_allows_Send()
    {
        var random = new Random(Seed);
        output.WriteLine($"seed {Seed}, trials {Trials}, child {ChildProcess.ChildDll}");
        for (var trial = 0; trial < Trials; trial++)
        {
            using var directory = new TempDirectory();
            using (var halting = ChildProcess.Start("scope-halt", directory.Path))
            {
                Assert.Equal("HALTED True", await halting.WaitForLineAsync("HALTED", ChildTimeout));
                var linger = random.Next(0, 4) * 25;
                if (linger > 0) await Task.Delay(linger);
                await halting.KillAsync();
            }
            // The account's Halt is in its own file; the process's file was never written.
            Assert.True(File.Exists(Path.Combine(directory.Path, "operator-state.scope.venue-a+acct-1.json")));
            Assert.False(File.Exists(Path.Combine(directory.Path, FileOperatorStateStore.FileName)));

            using var restarted = ChildProcess.Start("scope-restart", directory.Path);
            await restarted.WaitForLineAsync("RELEASED", ChildTimeout);
            await restarted.WaitForExitAsync().WaitAsync(ChildTimeout);
            var lines = restarted.CompleteLines();
            output.WriteLine($"trial {trial}: {string.Join(" | ", lines)}");
            Assert.Contains("FIRST Halt False", lines);
            Assert.Contains("SENDS 0", lines);
            Assert.Contains("OTHER False", lines);
            Assert.Contains("MODE Halt", lines);
            Assert.Contains("RELEASED True Recovering", lines);
        }
    }

    [Fact]
    public async Task A_restarted_system_object_over_the_same_directory_restores_each_scope_from_its_own_file()
    {
        using var directory = new TempDirectory();
        var options = new DegradationOptions { RecoveryStableSeconds = 0, MinSafeModeSeconds = 0 };
        var time = new Microsoft.Extensions.Time.Testing.FakeTimeProvider(new DateTimeOffset(2026, 11, 30, 9, 0, 0, TimeSpan.Zero));
        await using (var before = DegradationSystem.Create(options, time, new FileOperatorStateStore(directory.Path)))
        {
            before.Scopes.Add("venue-a/acct-1").StateMachine.Halt("ops-1", "runaway account");
            before.Scopes.Add("venue-b").StateMachine.ForceMode(SystemMode.SafeModeDisconnected, TimeSpan.FromMinutes(10), "ops-2", "venue b maintenance");
            before.Scopes.Add("venue-a/acct-2");
        }

        await using var after = DegradationSystem.Create(options, time, new FileOperatorStateStore(directory.Path));
        var account = after.Scopes.Add("venue-a/acct-1");
        var venueB = after.Scopes.Add("venue-b");
        var other = after.Scopes.Add("venue-a/acct-2");
        Assert.Equal(SystemMode.Halt, after.Gate.For(account).Mode);
        Assert.Equal("ops-1", account.StateMachine.OperatorHalt!.OperatorId);
        Assert.Equal(SystemMode.SafeModeDisconnected, venueB.StateMachine.Mode);
        Assert.Equal("ops-2", venueB.StateMachine.Override!.OperatorId);
        Assert.False(other.StateMachine.IsHalted);
        Assert.Null(other.StateMachine.Override);
        Assert.False(after.StateMachine.IsHalted);
    }
}
