using Degradation.Tests.State;
using Xunit.Abstractions;

namespace Degradation.Tests.Gate;

/// <summary>
/// The gate under contention: readers hammer Allows/Check while one writer drives thousands of
/// transitions. No reader may see a mode/stage/permission combination that was never published, and once a
/// must-deliver Publish has returned no reader may see a milder mode.
/// <para>Coverage does not depend on scheduling: every <see cref="SyncEvery"/>th cycle the writer holds a
/// must-deliver window open until each reader has completed a full read inside it and has made
/// <see cref="ReadsPerSync"/> more reads, so the minimums below hold however the threads are scheduled (a reader
/// thread that starts late, or is descheduled for a long time on a loaded machine, only slows the writer down).</para>
/// </summary>
public class GateConcurrencyTests(ITestOutputHelper output)
{
    private const int Cycles = 3_000;
    private const int Readers = 3;
    private const int SyncEvery = 100;
    private const int SyncPoints = Cycles / SyncEvery;
    private const int ReadsPerSync = 40;
    private static readonly ActionType[] Actions = Enum.GetValues<ActionType>();
    private static readonly TimeSpan HangGuard = TimeSpan.FromSeconds(60); // only stops a hung test; expiry fails it

    [Fact]
    public void Readers_never_see_a_torn_or_unpublished_state_and_never_a_milder_mode_after_a_must_deliver_publish()
    {
        using var driver = SystemDriver.Create(o =>
        {
            o.SafeMode.MinDwell = TimeSpan.Zero;
            o.Recovery.StablePeriod = TimeSpan.Zero;
            o.StateMachine.TransitionHistorySize = 100_000;
        });
        driver.ToNormal();
        var floor = new Floor();
        using var stop = new CancellationTokenSource();
        var readers = Enumerable.Range(0, Readers).Select(_ => new Reader(driver.Gate, floor)).ToArray();
        var threads = readers.Select(r => new Thread(() => r.Run(stop.Token)) { IsBackground = true }).ToArray();
        foreach (var t in threads) t.Start();

        try
        {
            for (var cycle = 0; cycle < Cycles; cycle++) DriveOneCycle(driver, floor, readers, cycle);
        }
        finally
        {
            stop.Cancel();
            foreach (var t in threads) Assert.True(t.Join(HangGuard), "a reader did not stop");
        }

        var history = driver.Machine.GetHistory().ToDictionary(t => t.Sequence);
        Assert.Equal(driver.Machine.TransitionCount, history.Count); // nothing evicted: every sample can be checked
        output.WriteLine($"{Cycles} cycles, {history.Count} transitions; reads per reader: {string.Join(", ", readers.Select(r => r.Reads))}; floor checks: {string.Join(", ", readers.Select(r => r.FloorChecks))}");
        foreach (var reader in readers)
        {
            Assert.Null(reader.Failure);
            Assert.True(reader.Reads > 1_000, $"reader made only {reader.Reads} reads");
            Assert.True(reader.FloorChecks >= SyncPoints, $"reader checked only {reader.FloorChecks} must-deliver floors");
            long lastSequence = 0;
            foreach (var (sequence, mode, stage) in reader.Samples)
            {
                Assert.True(sequence >= lastSequence, $"reader went back in time: {sequence} after {lastSequence}");
                lastSequence = sequence;
                if (sequence == 0) continue; // the cold-start snapshot
                var published = history[sequence];
                Assert.Equal((published.To, published.ToStage), (mode, stage));
            }
            Assert.True(reader.Samples.Select(s => s.Sequence).Distinct().Count() >= SyncPoints, "reader saw almost no transitions");
        }
    }

    /// <summary>One cycle from Normal back to Normal through Degraded, both safe modes, a stage walk, Halt and an override.</summary>
    private static void DriveOneCycle(SystemDriver driver, Floor floor, Reader[] readers, int cycle)
    {
        driver.Fail(ComponentId.Alerts, ReasonCode.AlertsChannelDown);
        driver.Recover(ComponentId.Alerts).Expect(SystemMode.Normal);

        Assert.True(driver.Bus.Publish(EventType.FailCritical, ComponentId.Broker, ReasonCode.BrokerDisconnect));
        floor.Set(SystemMode.SafeModeDisconnected); // from here on, no reader may see anything milder
        if (cycle % SyncEvery == 0) WaitUntilEveryReaderCaughtUp(readers, floor, minimumReads: (cycle / SyncEvery + 1) * ReadsPerSync);
        driver.Fail(ComponentId.MarketData, ReasonCode.MarketDataStale);
        driver.Bus.ProcessPending();
        floor.Clear(); // before the writer itself de-escalates

        driver.Recover(ComponentId.Broker).Expect(SystemMode.SafeMode);
        driver.Recover(ComponentId.MarketData).Expect(SystemMode.Recovering, RecoveryStage.ConnectBroker);
        driver.AdvanceTo(RecoveryStage.VerifyRisk);

        Assert.True(driver.Bus.Publish(EventType.FailCritical, ComponentId.Broker, ReasonCode.PositionUnknown));
        floor.Set(SystemMode.Halt);
        driver.Bus.ProcessPending();
        floor.Clear();
        driver.Machine.ReleaseHalt(SystemDriver.Operator, "concurrency test", acknowledge: [ReasonCode.PositionUnknown]);
        driver.AdvanceTo(RecoveryStage.Ready).Tick().Expect(SystemMode.Normal);

        if (cycle % 10 == 0)
        {
            driver.Machine.ForceMode(SystemMode.SafeMode, TimeSpan.FromMinutes(1), SystemDriver.Operator, "concurrency test");
            driver.Machine.ReleaseOverride(SystemDriver.Operator);
            driver.CompleteRun().Expect(SystemMode.Normal);
        }
    }

    /// <summary>
    /// Holds the writer (with the floor set) until each reader has finished a read that began and ended inside the
    /// current floor window and has made at least <paramref name="minimumReads"/> reads in all.
    /// </summary>
    private static void WaitUntilEveryReaderCaughtUp(Reader[] readers, Floor floor, long minimumReads)
    {
        var epoch = floor.Epoch;
        foreach (var reader in readers)
        {
            var caughtUp = SpinWait.SpinUntil(() => (reader.CheckedEpoch == epoch && reader.ReadsSoFar >= minimumReads) || reader.Failure is not null, HangGuard);
            Assert.True(caughtUp, $"a reader made no read within floor window {epoch}");
        }
    }

    /// <summary>
    /// The least severe mode readers may observe, published seqlock-style: an odd epoch means a floor is set.
    /// A reader trusts a floor only if the epoch did not move around its gate read.
    /// </summary>
    private sealed class Floor
    {
        private long _epoch;
        private int _mode;

        public void Set(SystemMode mode)
        {
            Volatile.Write(ref _mode, (int)mode);
            Volatile.Write(ref _epoch, _epoch + 1);
        }

        public void Clear() => Volatile.Write(ref _epoch, _epoch + 1);

        public long Epoch => Volatile.Read(ref _epoch);

        public SystemMode Mode => (SystemMode)Volatile.Read(ref _mode);
    }

    private sealed class Reader(TradingGate gate, Floor floor)
    {
        private long _checkedEpoch;
        private long _reads;
        private string? _failure;

        public List<(long Sequence, SystemMode Mode, RecoveryStage? Stage)> Samples { get; } = [];
        public long Reads => _reads; // read after Join
        public long ReadsSoFar => Volatile.Read(ref _reads);
        public long FloorChecks { get; private set; }
        public string? Failure => Volatile.Read(ref _failure);

        /// <summary>The floor window (odd epoch) this reader last completed a whole read in.</summary>
        public long CheckedEpoch => Volatile.Read(ref _checkedEpoch);

        public void Run(CancellationToken stop)
        {
            long lastSequence = -1;
            while (!stop.IsCancellationRequested && Failure is null)
            {
                var before = floor.Epoch;
                var floorMode = floor.Mode;

                var snapshot = gate.Snapshot;
                if (snapshot.Sequence != lastSequence)
                {
                    lastSequence = snapshot.Sequence;
                    Samples.Add((snapshot.Sequence, snapshot.Mode, snapshot.Stage));
                }
                if (snapshot.AllowedMask != PermissionMatrix.AllowedMask(snapshot.Mode, snapshot.Stage)) Fail($"snapshot #{snapshot.Sequence} mask does not match {snapshot.Mode}/{snapshot.Stage}");
                if ((snapshot.Stage is null) == (snapshot.Mode == SystemMode.Recovering)) Fail($"snapshot #{snapshot.Sequence} has stage {snapshot.Stage} in {snapshot.Mode}");

                var mode = gate.Mode;
                var openAllowed = gate.Allows(ActionType.Open);
                foreach (var action in Actions)
                {
                    var decision = gate.Check(action);
                    if (decision.Allowed != PermissionMatrix.IsAllowed(decision.Mode, decision.Stage, action))
                        Fail($"Check({action}) = {decision.Allowed} in {decision.Mode}/{decision.Stage}");
                    if ((decision.Stage is null) == (decision.Mode == SystemMode.Recovering))
                        Fail($"Check({action}) has stage {decision.Stage} in {decision.Mode}");
                    if (!ReferenceEquals(decision.Advice, PermissionMatrix.Advice(decision.Mode, decision.Stage, action, decision.Allowed))
                        && decision.Advice != PermissionMatrix.Advice(decision.Mode, decision.Stage, action, decision.Allowed))
                        Fail($"Check({action}) advice '{decision.Advice}' does not belong to {decision.Mode}/{decision.Stage}");
                    if (decision.Allowed && action is ActionType.Open or ActionType.Send or ActionType.Amend
                        && decision.Mode is not (SystemMode.Normal or SystemMode.Degraded))
                        Fail($"{action} allowed in {decision.Mode}");
                }

                var after = floor.Epoch;
                Volatile.Write(ref _reads, _reads + 1);
                if (before == after && (before & 1) == 1)
                {
                    FloorChecks++;
                    if (ModeTransition.Restrictiveness(mode) < ModeTransition.Restrictiveness(floorMode))
                        Fail($"saw {mode} after a must-deliver publish demanding {floorMode}");
                    if (openAllowed) Fail($"Open allowed after a must-deliver publish demanding {floorMode}");
                    Volatile.Write(ref _checkedEpoch, before); // published last: the writer may move on once it sees it
                }
            }
        }

        private void Fail(string message) => Interlocked.CompareExchange(ref _failure, message, null);
    }
}
