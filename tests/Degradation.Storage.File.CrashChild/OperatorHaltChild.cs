using Degradation;
using Degradation.Storage.File;

/// <summary>
/// The operator-Halt crash child:
///   halt &lt;dir&gt;    : builds a system over the file operator state store in &lt;dir&gt;, starts it, halts it as an
///                    operator and prints "HALTED &lt;durable&gt;" once the command has returned, then stays alive
///                    (heartbeating, as a live host does) until the parent kills it with SIGKILL.
///   restart &lt;dir&gt; : builds the system again over the same directory, prints "FIRST &lt;mode&gt; &lt;allows-send&gt;" for
///                    its very first gate check, then does everything that could open the gate without a Halt release
///                    (heartbeats, recovery.complete, forcing Normal without and with acknowledgement, starting a
///                    recovery run) while checking the gate in a loop, prints "SENDS &lt;count&gt;" (checks that allowed
///                    Send) and "MODE &lt;mode&gt;", then releases the Halt and prints "RELEASED &lt;mode&gt;".
/// </summary>
internal static class OperatorHaltChild
{
    private static readonly ComponentId[] Critical = [ComponentId.Broker, ComponentId.MarketData, ComponentId.Risk];

    public static async Task<int> RunAsync(string mode, string directory, Action<string> print)
    {
        var store = new FileOperatorStateStore(directory);
        var options = new DegradationOptions { Recovery = { StablePeriod = TimeSpan.Zero }, SafeMode = { MinDwell = TimeSpan.Zero } };
        await using var system = DegradationSystem.Create(options, TimeProvider.System, store);
        if (mode == "halt")
        {
            system.Start();
            var result = system.StateMachine.Halt("ops-crash", "crash drill");
            print($"HALTED {result.Durable}");
            while (true)
            {
                foreach (var c in Critical) system.Heartbeat(c);
                await Task.Delay(5);
            }
        }

        var first = system.Gate.Allows(ActionType.Send);
        print($"FIRST {system.Gate.Mode} {first}");
        var sends = first ? 1 : 0;
        void Check()
        {
            if (system.Gate.Allows(ActionType.Send)) sends++;
        }
        system.Start();
        for (var round = 0; round < 200; round++)
        {
            foreach (var c in Critical) { system.Heartbeat(c); Check(); }
            system.Bus.Publish(EventType.Recovered, ComponentId.System, ReasonCode.RecoveryComplete);
            system.Bus.Publish(EventType.Recovered, ComponentId.System, ReasonCode.AllHealthy);
            Check();
            system.StateMachine.ForceMode(SystemMode.Normal, TimeSpan.FromMinutes(5), "ops-2", "try to trade");
            Check();
            system.StateMachine.ForceMode(SystemMode.Normal, TimeSpan.FromMinutes(5), "ops-2", "try to trade", acknowledge: [ReasonCode.OperatorHalt]);
            Check();
            try { system.StateMachine.StartRecovery("ops-2", "try to recover"); } catch (InvalidOperationException) { }
            Check();
            system.StateMachine.Tick();
            Check();
            await Task.Yield();
        }
        await system.Bus.DrainAsync();
        Check();
        print($"SENDS {sends}");
        print($"MODE {system.Gate.Mode}");
        var released = system.StateMachine.ReleaseHalt("ops-crash", "drill over");
        // The release's own transition: the recovery run may already have moved on by the time this prints.
        print($"RELEASED {released.Accepted} {released.Transition?.To}");
        return 0;
    }
}
