using Xunit.Abstractions;

namespace Degradation.Tests.Scopes;

/// <summary>
/// Readers check scoped gates while other threads change the process's and a venue's modes. A reader reads the ancestors,
/// then the scope, then the ancestors again: when the ancestors did not change in between, they held their answer while
/// the scope was read, so the scope must not allow anything they forbid.
/// </summary>
public class ScopeConcurrencyTests(ITestOutputHelper output)
{
    private const int Readers = 2;
    private const int RequiredChecks = 2_000; // samples per reader taken while an ancestor refused Send
    private const int MaxCycles = 500_000;
    private static readonly SystemMode[] Modes =
        [SystemMode.Normal, SystemMode.Degraded, SystemMode.Recovering, SystemMode.SafeMode, SystemMode.SafeModeDisconnected];

    [Fact]
    public async Task Readers_never_see_a_scope_allow_what_a_stable_ancestor_forbids()
    {
        await using var kit = ScopeKit.Normal(o => o.StateMachine.TransitionHistorySize = 16);
        var strategy = kit.AddOpen("venue-a/acct-1/strat-x");
        var venue = kit.Gate.Resolve("venue-a");
        var readers = Enumerable.Range(0, Readers).Select(_ => new Reader(kit.Gate, venue, strategy)).ToArray();
        using var stop = new CancellationTokenSource();
        var threads = readers.Select(r => new Thread(() => r.Run(stop.Token)) { IsBackground = true }).ToArray();
        foreach (var thread in threads) thread.Start();
        var cycles = 0;
        try
        {
            foreach (var reader in readers) Assert.True(reader.Reading.Wait(TimeSpan.FromSeconds(60)), "a reader never started");
            var venueWriter = Task.Run(() =>
            {
                for (var i = 0; !stop.IsCancellationRequested && i < MaxCycles; i++)
                    venue.StateMachine.ForceMode(Modes[i % Modes.Length], TimeSpan.FromMinutes(10), "ops", "venue churn");
            });
            // The process writer runs until every reader has checked enough samples under a refusing ancestor.
            for (; cycles < MaxCycles && readers.Any(r => Volatile.Read(ref r.Checks) < RequiredChecks); cycles++)
                kit.System.StateMachine.ForceMode(Modes[(cycles * 3) % Modes.Length], TimeSpan.FromMinutes(10), "ops", "process churn");
            stop.Cancel();
            await venueWriter;
        }
        finally
        {
            stop.Cancel();
            foreach (var thread in threads) Assert.True(thread.Join(TimeSpan.FromSeconds(60)), "a reader did not stop");
        }

        output.WriteLine($"{cycles} process cycles; reads per reader: {string.Join(", ", readers.Select(r => r.Reads))}; checks: {string.Join(", ", readers.Select(r => r.Checks))}");
        foreach (var reader in readers)
        {
            Assert.Null(reader.Failure);
            Assert.True(reader.Checks >= RequiredChecks, $"only {reader.Checks} checks");
        }
    }

    private sealed class Reader(TradingGate gate, TradingScope venue, TradingScope strategy)
    {
        public readonly ManualResetEventSlim Reading = new();
        public long Reads;
        public long Checks;
        public string? Failure;

        public void Run(CancellationToken stop)
        {
            Reading.Set();
            var scoped = gate.For(strategy);
            while (!stop.IsCancellationRequested && Failure is null)
            {
                var process = gate.Snapshot;
                var venueView = venue.Gate.Snapshot;
                var view = scoped.Snapshot;
                var allows = scoped.Allows(ActionType.Send);
                if (!ReferenceEquals(process, gate.Snapshot) || !ReferenceEquals(venueView, venue.Gate.Snapshot)) continue;
                Reads++;
                var bound = (byte)(process.AllowedMask & venueView.AllowedMask);
                if ((view.AllowedMask & ~bound) != 0 || (allows && (bound & (1 << (int)ActionType.Send)) == 0))
                    Failure = $"strategy allows {view.AllowedMask:b6} (Send {allows}) under process {process.Mode} and venue {venueView.Mode}";
                if ((bound & (1 << (int)ActionType.Send)) == 0) Interlocked.Increment(ref Checks);
            }
        }
    }
}
