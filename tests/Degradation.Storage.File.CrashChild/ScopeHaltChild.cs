using Degradation;
using Degradation.Storage.File;

/// <summary>
/// The scope-Halt crash child (an account halted, then SIGKILL):
///   scope-halt &lt;dir&gt;    : builds a system over the file operator state store in &lt;dir&gt; with the accounts
///                          venue-a/acct-1 and venue-a/acct-2, halts venue-a/acct-1 as an operator and prints
///                          "HALTED &lt;durable&gt;" once the command has returned, then stays alive (heartbeating) until killed.
///   scope-restart &lt;dir&gt; : builds the system again over the same directory, adds the same accounts, prints
///                          "FIRST &lt;mode&gt; &lt;allows-send&gt;" for acct-1's very first gate check, then does everything that
///                          could open it without a Halt release (heartbeats, recovery.complete, forcing Normal without
///                          and with acknowledgement, a recovery run, ticks) while checking its gate; prints
///                          "SENDS &lt;count&gt;" (acct-1 checks that allowed Send), "OTHER &lt;halted&gt;" for acct-2 (never
///                          halted), "MODE &lt;mode&gt;" for acct-1, then releases its Halt and prints
///                          "RELEASED &lt;accepted&gt; &lt;mode&gt;".
/// </summary>
internal static class ScopeHaltChild
{
    private const string Account = "venue-a/acct-1";
    private const string Other = "venue-a/acct-2";
    private static readonly ComponentId[] Critical = [ComponentId.Broker, ComponentId.MarketData, ComponentId.Risk];

    public static async Task<int> RunAsync(string mode, string directory, Action<string> print)
    {
        var store = new FileOperatorStateStore(directory);
        var options = new DegradationOptions { RecoveryStableSeconds = 0, MinSafeModeSeconds = 0 };
        await using var system = DegradationSystem.Create(options, TimeProvider.System, store);
        var account = system.Scopes.Add(Account);
        var first = system.Gate.For(account).Allows(ActionType.Send);
        var other = system.Scopes.Add(Other);
        if (mode == "scope-halt")
        {
            system.Start();
            var result = account.StateMachine.Halt("ops-crash", "crash drill");
            print($"HALTED {result.Durable}");
            while (true)
            {
                foreach (var c in Critical) system.Heartbeat(c);
                await Task.Delay(5);
            }
        }

        print($"FIRST {system.Gate.For(account).Mode} {first}");
        var gate = system.Gate.For(account);
        var sends = first ? 1 : 0;
        void Check()
        {
            if (gate.Allows(ActionType.Send)) sends++;
        }
        system.Start();
        for (var round = 0; round < 200; round++)
        {
            foreach (var c in Critical) { system.Heartbeat(c); account.Heartbeat(c); Check(); }
            account.Bus.Publish(EventType.Recovered, ComponentId.System, ReasonCode.RecoveryComplete);
            account.Bus.Publish(EventType.Recovered, ComponentId.System, ReasonCode.AllHealthy);
            Check();
            account.StateMachine.ForceMode(SystemMode.Normal, TimeSpan.FromMinutes(5), "ops-2", "try to trade");
            Check();
            account.StateMachine.ForceMode(SystemMode.Normal, TimeSpan.FromMinutes(5), "ops-2", "try to trade", acknowledge: [ReasonCode.OperatorHalt]);
            Check();
            try { account.StateMachine.StartRecovery("ops-2", "try to recover"); } catch (InvalidOperationException) { }
            Check();
            system.StateMachine.Tick();
            account.StateMachine.Tick();
            Check();
            await Task.Yield();
        }
        await account.Bus.DrainAsync();
        Check();
        print($"SENDS {sends}");
        print($"OTHER {other.StateMachine.IsHalted}");
        print($"MODE {gate.Mode}");
        var released = account.StateMachine.ReleaseHalt("ops-crash", "drill over");
        print($"RELEASED {released.Accepted} {account.StateMachine.Mode}");
        return 0;
    }
}
