using System.Globalization;
using Xunit.Abstractions;

namespace Degradation.Tests.Scopes;

/// <summary>
/// A long random mix of failures, recoveries, operator commands, recovery stages and clock advances on every scope of a
/// tree. After every publication no scope allows what an ancestor forbids; after every step each scope's effective mask is
/// exactly its own mask and'ed with all its ancestors' (no stale restriction either), and its mode the most restrictive.
/// The seed is fixed and printed; set DEGRADATION_TEST_SEED to replay another one. A second run mixes in removals and
/// re-adds, and checks that a removed scope never allows anything again, whatever is done to it or its old ancestors.
/// </summary>
public class ScopeRandomizedTests(ITestOutputHelper output)
{
    private const int DefaultSeed = 20_261_130;
    private const int Steps = 20_000;

    private static readonly string[] Paths =
        ["venue-a", "venue-a/acct-1", "venue-a/acct-1/strat-x", "venue-a/acct-1/strat-y", "venue-b", "venue-b/acct-2", "venue-b/acct-2/strat-z"];

    private static readonly ReasonCode[] Reasons =
    [
        ReasonCode.MarketDataQualityLow, ReasonCode.MarketDataQualityLow, ReasonCode.DbWriteFailBuffered, ReasonCode.MarketDataStale,
        ReasonCode.RiskTimeout, ReasonCode.BrokerDisconnect, ReasonCode.BrokerDisconnect, ReasonCode.RiskBreachHard,
    ];

    private static readonly SystemMode[] Modes = Enum.GetValues<SystemMode>();

    [Fact]
    public async Task No_scope_ever_allows_an_action_its_ancestors_forbid()
    {
        var seed = Environment.GetEnvironmentVariable("DEGRADATION_TEST_SEED") is { } text ? int.Parse(text, CultureInfo.InvariantCulture) : DefaultSeed;
        output.WriteLine($"seed {seed} (replay with DEGRADATION_TEST_SEED={seed})");
        var random = new Random(seed);
        await using var kit = ScopeKit.Normal();
        foreach (var path in Paths)
            kit.AddOpen(path, path.StartsWith("venue", StringComparison.Ordinal) && !path.Contains('/') ? new ScopeOptions().WithCritical("broker") : null);
        var scopes = kit.Scopes.GetScopes();
        using var checker = new PublicationChecker(kit.Scopes);
        int openLeaves = 0, closedByAncestor = 0;

        for (var step = 0; step < Steps; step++)
        {
            var scope = scopes[random.Next(scopes.Count)];
            // Storms (fail, force) alternate with calm phases (release, recover, wait) so scopes open and close again.
            var calm = step / 400 % 2 == 1;
            var action = calm ? CalmStep(kit, scope, random) : Step(kit, scope, random);
            Assert.True(checker.Violations.Count == 0, $"seed {seed}, step {step} ({action} on {scope.DisplayPath}): {string.Join("; ", checker.Violations)}");
            foreach (var s in scopes)
            {
                byte expected = 0xFF;
                var mode = SystemMode.Normal;
                for (var a = s; a is not null; a = a.Parent)
                {
                    var own = a.StateMachine.Gate.Snapshot;
                    expected &= own.AllowedMask;
                    if (ModeTransition.Restrictiveness(own.Mode) > ModeTransition.Restrictiveness(mode)) mode = own.Mode;
                }
                var view = s.Snapshot;
                Assert.True(expected == view.AllowedMask, $"seed {seed}, step {step} ({action} on {scope.DisplayPath}): {s.DisplayPath} allows {view.AllowedMask:b6}, expected {expected:b6}");
                Assert.True(mode == view.Mode, $"seed {seed}, step {step}: {s.DisplayPath} effective mode {view.Mode}, expected {mode}");
                if (s.Children.Count == 0 && view.Allows(ActionType.Send)) openLeaves++;
                if (s.StateMachine.Gate.Snapshot.Allows(ActionType.Send) && !view.Allows(ActionType.Send)) closedByAncestor++;
            }
        }

        output.WriteLine($"{Steps} steps, {checker.Publications} publications; leaf-steps open for Send: {openLeaves}; scope-steps closed by an ancestor only: {closedByAncestor}");
        Assert.True(openLeaves > Steps / 20, $"the run rarely opened a leaf ({openLeaves})");
        Assert.True(closedByAncestor > Steps / 20, $"the run rarely closed a scope through an ancestor ({closedByAncestor})");
    }

    [Fact]
    public async Task A_removed_scope_never_allows_anything_whatever_happens_afterwards()
    {
        const int removalSteps = 4_000;
        var seed = Environment.GetEnvironmentVariable("DEGRADATION_TEST_SEED") is { } text ? int.Parse(text, CultureInfo.InvariantCulture) : DefaultSeed;
        output.WriteLine($"seed {seed} (replay with DEGRADATION_TEST_SEED={seed})");
        var random = new Random(seed);
        await using var kit = ScopeKit.Normal();
        foreach (var path in Paths) kit.AddOpen(path);
        var removed = new List<TradingScope>();
        int removals = 0, refusals = 0, readds = 0;

        for (var step = 0; step < removalSteps; step++)
        {
            var live = kit.Scopes.GetScopes();
            string action;
            var roll = random.Next(100);
            if (roll < 4 && live.Count > 1)
            {
                var target = live[1 + random.Next(live.Count - 1)];
                var subtree = live.Where(s => s.IsWithin(target)).ToList();
                var force = random.Next(3) == 0;
                var held = subtree.Any(s => s.StateMachine.IsHalted || s.StateMachine.IsOverrideActive);
                try
                {
                    Assert.True(await kit.Scopes.RemoveAsync(target.Path, force));
                    Assert.True(force || !held, $"seed {seed}, step {step}: {target} removed although it held a Halt or override");
                    removed.AddRange(subtree);
                    removals++;
                }
                catch (InvalidOperationException)
                {
                    Assert.True(held && !force, $"seed {seed}, step {step}: removal of {target} refused without a reason");
                    refusals++;
                }
                action = "remove " + target + (force ? " (forced)" : "");
            }
            else if (roll < 8)
            {
                var path = Paths[random.Next(Paths.Length)];
                kit.Scopes.Add(path);
                readds++;
                action = "add " + path;
            }
            else
            {
                // Anything at all, on a live scope or on one removed before.
                var all = live.Concat(removed).ToList();
                var scope = all[random.Next(all.Count)];
                try
                {
                    action = (random.Next(2) == 0 ? CalmStep(kit, scope, random) : Step(kit, scope, random)) + " on " + scope + (scope.IsRemoved ? " (removed)" : "");
                    if (scope.IsRemoved) scope.StateMachine.Tick();
                }
                catch (InvalidOperationException error) // ObjectDisposedException included
                {
                    action = "refused: " + error.Message; // a disposed scope may refuse outright; its gate must stay shut either way
                }
            }

            foreach (var gone in removed)
            {
                Assert.True(gone.Gate.Snapshot.AllowedMask == 0, $"seed {seed}, step {step} ({action}): removed {gone} allows {gone.Gate.Snapshot.AllowedMask:b6}");
                foreach (var a in Enum.GetValues<ActionType>()) Assert.False(gone.Gate.Allows(a));
            }
            foreach (var s in kit.Scopes.GetScopes())
            {
                byte expected = 0xFF;
                for (var a = s; a is not null; a = a.Parent) expected &= a.StateMachine.Gate.Snapshot.AllowedMask;
                Assert.True(expected == s.Snapshot.AllowedMask, $"seed {seed}, step {step} ({action}): {s} allows {s.Snapshot.AllowedMask:b6}, expected {expected:b6}");
            }
        }
        output.WriteLine($"{removalSteps} steps: {removals} removals, {refusals} refused, {readds} adds, {removed.Count} scopes removed in all");
        Assert.True(removals > 10, $"the run rarely removed a scope ({removals})");
        Assert.True(refusals > 0, "no removal was ever refused");
    }

    private static string Step(ScopeKit kit, TradingScope scope, Random random)
    {
        var machine = scope.StateMachine;
        switch (random.Next(100))
        {
            case < 18:
                var reason = Reasons[random.Next(Reasons.Length)];
                scope.ReportFailure(reason == ReasonCode.BrokerDisconnect ? ComponentId.Broker : ComponentId.MarketData, reason);
                scope.Bus.ProcessPending();
                return "fail " + reason;
            case < 34:
                scope.ReportRecovered(random.Next(2) == 0 ? ComponentId.Broker : ComponentId.MarketData);
                scope.Bus.ProcessPending();
                return "recovered";
            case < 40:
                var mode = Modes[random.Next(Modes.Length)];
                machine.ForceMode(mode, TimeSpan.FromSeconds(random.Next(1, 30)), "ops", "random force");
                return "force " + mode;
            case < 46:
                return Try(() => machine.ReleaseOverride("ops"), "release override");
            case < 52:
                return Try(() => machine.ReleaseHalt("ops", "random release"), "release halt");
            case < 70:
                if (machine.ActiveRecoveryRun is { } run && machine.Stage is { } stage && stage < RecoveryStage.Ready)
                    machine.TryAdvanceStage(run, stage + 1);
                return "advance stage";
            case < 74:
                return Try(() => machine.StartRecovery("ops"), "start recovery");
            case < 80:
                return Try(() => machine.CompleteRecovery("ops"), "complete recovery");
            default:
                kit.Time.Advance(TimeSpan.FromMilliseconds(random.Next(0, 3000)));
                kit.Scopes.Tick();
                return "advance and tick";
        }
    }

    private static string CalmStep(ScopeKit kit, TradingScope scope, Random random)
    {
        var machine = scope.StateMachine;
        switch (random.Next(100))
        {
            case < 10:
                scope.ReportRecovered(ComponentId.Broker);
                scope.ReportRecovered(ComponentId.MarketData);
                scope.Bus.ProcessPending();
                return "recovered";
            case < 20:
                return Try(() => machine.ReleaseOverride("ops"), "release override");
            case < 30:
                // Halt conditions no operator raised must be acknowledged: resend with what the refusal lists.
                var release = machine.ReleaseHalt("ops", "calm release");
                if (release.Refusal == OperatorRefusal.AcknowledgementRequired)
                    release = machine.ReleaseHalt("ops", "calm release", acknowledge: [.. release.ActiveConditions.Select(c => c.Reason).Distinct()]);
                return "release halt: " + release;
            case < 35:
                return Try(() => machine.StartRecovery("ops"), "start recovery");
            case < 70:
                if (machine.ActiveRecoveryRun is { } run && machine.Stage is { } stage && stage < RecoveryStage.Ready)
                    machine.TryAdvanceStage(run, stage + 1);
                return "advance stage";
            default:
                kit.Time.Advance(TimeSpan.FromMilliseconds(random.Next(0, 3000)));
                kit.Scopes.Tick();
                return "advance and tick";
        }
    }

    private static string Try(Action command, string name)
    {
        try { command(); return name; }
        catch (InvalidOperationException) { return name + " (refused)"; }
    }
}
