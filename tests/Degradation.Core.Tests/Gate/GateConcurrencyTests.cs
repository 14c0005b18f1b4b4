using Degradation.Tests.State;
using Xunit.Abstractions;

namespace Degradation.Tests.Gate;

/// <summary>
/// SPEC rules 7 and 10 under contention: readers hammer Allows/Check while one writer drives thousands of
/// transitions. No reader may see a mode/stage/permission combination that was never published, and once a
/// must-deliver Publish has returned no reader may see a milder mode.
/// </summary>
public class GateConcurrencyTests(ITestOutputHelper output)
{
    private const int Cycles = 3_000;
    private const int Readers = 3;
    private static readonly ActionType[] Actions = Enum.GetValues<ActionType>();

    [Fact]
    public void Readers_never_see_a_torn_or_unpublished_state_and_never_a_milder_mode_after_a_must_deliver_publish()
    {
        var driver = SystemDriver.Create(o =>
        {
            o.MinSafeModeSeconds = 0;
            o.RecoveryStableSeconds = 0;
            o.TransitionHistorySize = 100_000;
        });
        driver.ToNormal();
        var floor = new Floor();
        using var stop = new CancellationTokenSource();
        var readers = Enumerable.Range(0, Readers).Select(_ => new Reader(driver.Gate, floor)).ToArray();
        var threads = readers.Select(r => new Thread(() => r.Run(stop.Token)) { IsBackground = true }).ToArray();
        foreach (var t in threads) t.Start();

        try
        {
            // Thread start-up can lag on a loaded 2-core machine: drive transitions only once every reader reads.
            foreach (var reader in readers) Assert.True(reader.Reading.Wait(TimeSpan.FromSeconds(30)), "a reader never started");
            for (var cycle = 0; cycle < Cycles; cycle++) DriveOneCycle(driver, floor, cycle);
        }
        finally
        {
            stop.Cancel();
            foreach (var t in threads) Assert.True(t.Join(TimeSpan.FromSeconds(30)), "a reader did not stop");
        }

        var history = driver.Machine.GetHistory().ToDictionary(t => t.Sequence);
        Assert.Equal(driver.Machine.TransitionCount, history.Count); // nothing evicted: every sample can be checked
        output.WriteLine($"{Cycles} cycles, {history.Count} transitions; reads per reader: {string.Join(", ", readers.Select(r => r.Reads))}; floor checks: {string.Join(", ", readers.Select(r => r.FloorChecks))}");
        foreach (var reader in readers)
        {
            Assert.Null(reader.Failure);
            Assert.True(reader.Reads > 1_000, $"reader made only {reader.Reads} reads");
            Assert.True(reader.FloorChecks > 0, "no read ever happened while a must-deliver floor was set");
            long lastSequence = 0;
            foreach (var (sequence, mode, stage) in reader.Samples)
            {
                Assert.True(sequence >= lastSequence, $"reader went back in time: {sequence} after {lastSequence}");
                lastSequence = sequence;
                if (sequence == 0) continue; // the cold-start snapshot
                var published = history[sequence];
                Assert.Equal((published.To, published.ToStage), (mode, stage));
            }
            Assert.True(reader.Samples.Select(s => s.Sequence).Distinct().Count() > 10, "reader saw almost no transitions");
        }
    }

    /// <summary>One cycle from Normal back to Normal through Degraded, both safe modes, a stage walk, Halt and an override.</summary>
    private static void DriveOneCycle(SystemDriver driver, Floor floor, int cycle)
    {
        driver.Fail(ComponentId.Alerts, ReasonCode.AlertsChannelDown);
        driver.Recover(ComponentId.Alerts).Expect(SystemMode.Normal);

        Assert.True(driver.Bus.Publish(EventType.FailCritical, ComponentId.Broker, ReasonCode.BrokerDisconnect));
        floor.Set(SystemMode.SafeModeDisconnected); // from here on, no reader may see anything milder
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
        public List<(long Sequence, SystemMode Mode, RecoveryStage? Stage)> Samples { get; } = [];
        public long Reads { get; private set; }
        public long FloorChecks { get; private set; }
        public string? Failure { get; private set; }
        public ManualResetEventSlim Reading { get; } = new();

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

                Reading.Set();
                var after = floor.Epoch;
                if (before == after && (before & 1) == 1)
                {
                    FloorChecks++;
                    if (ModeTransition.Restrictiveness(mode) < ModeTransition.Restrictiveness(floorMode))
                        Fail($"saw {mode} after a must-deliver publish demanding {floorMode}");
                    if (openAllowed) Fail($"Open allowed after a must-deliver publish demanding {floorMode}");
                }
                Reads++;
            }
        }

        private void Fail(string message) => Failure ??= message;
    }
}
