using Degradation.Scopes;
using Degradation.Storage.Postgres;

namespace Degradation.FleetCli;

/// <summary>
/// <c>run</c>: a stand-in trading process. Starts a <see cref="DegradationSystem"/>, keeps the critical components
/// fresh, walks every recovery run through its stages at once (so it reaches Normal quickly), starts the
/// PostgreSQL adapter (fleet policy first, then the audit with its local spool) and prints one line per gate
/// change, command, notification and connection change, plus the first moment Send is allowed (sampled every
/// 2 ms), with monotonic timestamps (<see cref="TimeProvider.GetTimestamp"/>, comparable across processes on one
/// Linux host). Stops on "quit" or end of standard input; a clean stop drains the audit spool first.
/// <para>
/// With <c>--scopes venue-a/acct-1,venue-a/acct-2</c> it also configures those scopes (each reaches Normal on its own),
/// prints one <c>SCOPE</c> line per scope transition, and answers the standard-input line "probe" with one
/// <c>PROBE scope=PATH send=True|False mode=MODE own=MODE</c> line per scope, the process (empty path) first, with its
/// effective gate and its own mode now, then <c>PROBED</c>.
/// </para>
/// </summary>
internal static class RunVerb
{
    private static readonly object OutputLock = new();

    public static async Task<int> RunAsync(CliArguments arguments)
    {
        var time = TimeProvider.System;
        var lossMode = (arguments.Get("loss-mode") ?? "safemode").ToLowerInvariant() switch
        {
            "degraded" => SystemMode.Degraded,
            "safemode" or "safe_mode" => SystemMode.SafeMode,
            var other => throw new CliException($"--loss-mode must be degraded or safemode (was '{other}')."),
        };
        var options = new DegradationOptions { Recovery = { StablePeriod = TimeSpan.Zero }, SafeMode = { MinDwell = TimeSpan.Zero }, StateMachine = { TickInterval = TimeSpan.FromMilliseconds(10) } };
        PostgresFleetPolicyOptions.RegisterLossHandling(options, lossMode);
        var fleetOptions = new PostgresFleetPolicyOptions
        {
            Schema = arguments.Get("schema") ?? "public",
            Group = arguments.Get("group"),
            ProcessId = arguments.Get("process-id") ?? ProcessIdentity.DefaultProcessId(),
            HeartbeatInterval = arguments.Milliseconds("heartbeat-ms", 1000),
            QueryTimeout = arguments.Milliseconds("query-timeout-ms", 2000),
            LossTimeout = arguments.Milliseconds("loss-timeout-ms", 5000),
            KeepAlive = arguments.WholeSeconds("keepalive-s"),
            ReconnectDelay = TimeSpan.FromMilliseconds(50),
            MaxReconnectDelay = TimeSpan.FromMilliseconds(500),
        };

        await using var system = DegradationSystem.Create(options, time);
        var stateMachine = system.StateMachine;
        var scopes = (arguments.Get("scopes") ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(path => system.Scopes.Add(path)).ToList();
        using var scopePrinter = system.Scopes.SubscribeTransitions(st =>
        {
            if (st.Scope.IsProcess) return;
            var t = st.Transition;
            Print($"SCOPE scope={st.Scope.Path} ts={t.Timestamp} from={t.From} to={t.To} stage={t.ToStage?.ToString() ?? "-"} send={system.Gate.For(st.Scope).Allows(ActionType.Send)} kind={t.Kind} reason={t.Reason} details={t.Details}");
        });
        var ready = 0;
        var printedMode = -1; // the mode of the last MODE line printed
        using var printer = stateMachine.SubscribeTransitions(t =>
        {
            var open = t.To is SystemMode.Normal or SystemMode.Degraded;
            Print($"MODE ts={t.Timestamp} wall={t.WallTime:O} from={t.From} to={t.To} stage={t.ToStage?.ToString() ?? "-"} gate={(open ? "open" : "closed")} kind={t.Kind} reason={t.Reason} details={t.Details}");
            Volatile.Write(ref printedMode, (int)t.To);
            // The stand-in's recovery steps succeed at once.
            if (t.To == SystemMode.Recovering && t.ToStage is { } stage && stage != RecoveryStage.Ready && t.RecoveryRun is { } run)
                stateMachine.TryAdvanceStage(run, stage + 1);
        });

        void HeartbeatCritical()
        {
            system.Heartbeat(ComponentId.Broker);
            system.Heartbeat(ComponentId.MarketData);
            system.Heartbeat(ComponentId.Risk);
        }
        HeartbeatCritical();
        system.Start();
        // The cold-start run began before the printer subscribed: walk it too.
        if (stateMachine.ActiveRecoveryRun is { } coldRun && stateMachine.Stage is { } coldStage && coldStage != RecoveryStage.Ready)
            stateMachine.TryAdvanceStage(coldRun, coldStage + 1);
        await using var heartbeats = time.CreateTimer(_ => HeartbeatCritical(), null, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(1));

        var sendAllowed = 0;
        await using var sendSampler = time.CreateTimer(_ =>
        {
            if (system.Gate.Allows(ActionType.Send) && Interlocked.Exchange(ref sendAllowed, 1) == 0)
                Print($"SEND allowed ts={time.GetTimestamp()} mode={system.Gate.Mode}");
            else if (!system.Gate.Allows(ActionType.Send)) Volatile.Write(ref sendAllowed, 0);
        }, null, TimeSpan.Zero, TimeSpan.FromMilliseconds(2));

        await using var postgres = new PostgresDegradation(new PostgresDegradationOptions
        {
            ConnectionString = arguments.Require("connection", "DEGRADATION_PG"),
            Schema = fleetOptions.Schema,
            ProcessId = fleetOptions.ProcessId,
            MigrateOnStart = (arguments.Get("migrate") ?? "on") != "off",
            Audit = (arguments.Get("audit") ?? "on") != "off",
            AuditSpoolDirectory = arguments.Get("spool-dir"),
            FleetPolicy = fleetOptions,
        });
        var fleet = postgres.FleetPolicy!;
        fleet.CommandHandled += a => Print($"APPLIED ts={a.Timestamp} id={a.Command.CommandId} kind={a.Command.Kind} outcome={a.Outcome} details={a.Details}");
        fleet.NotificationReceived += ts => Print($"WAKE ts={ts}");
        fleet.ConnectionChanged += (up, error) => Print(up ? $"CONN up backend={fleet.BackendProcessId} connections={fleet.Connections}" : $"CONN down error={error?.Message}");
        await postgres.StartAsync(system);
        Print($"STARTED pid={Environment.ProcessId} process-id={fleetOptions.ProcessId} ts={time.GetTimestamp()}");

        // The gate opens before transition observers run, so the gate alone can say Normal while the start-up's last MODE
        // line is still to be printed: READY also waits for that line, and nothing of the start-up is printed after it.
        using var readyTimer = time.CreateTimer(_ =>
        {
            if (Volatile.Read(ref ready) == 0 && fleet.Synchronized.IsCompleted && system.Gate.Mode == SystemMode.Normal
                && Volatile.Read(ref printedMode) == (int)SystemMode.Normal && Interlocked.Exchange(ref ready, 1) == 0)
                Print("READY");
        }, null, TimeSpan.FromMilliseconds(20), TimeSpan.FromMilliseconds(20));

        string? line;
        while ((line = await Console.In.ReadLineAsync()) is not null && line.Trim() != "quit")
        {
            if (line.Trim() != "probe") continue;
            foreach (var scope in (IEnumerable<TradingScope>)[system.Scopes.Root, .. scopes])
            {
                var gate = system.Gate.For(scope);
                Print($"PROBE scope={scope.Path} send={gate.Allows(ActionType.Send)} mode={gate.Mode} own={scope.StateMachine.Mode}");
            }
            Print("PROBED");
        }
        var audit = postgres.AuditStore;
        // The system first: after the adapter stops, its silent fleet component would go stale and close the gate,
        // a transition the detached audit would no longer see. The adapter's stop then drains the audit spool.
        await system.StopAsync();
        await postgres.StopAsync();
        var transitions = stateMachine.TransitionCount;
        Print($"STOPPED transitions={transitions} audit-written={audit?.Written ?? 0} audit-spooled={audit?.Spooled ?? 0} spool-left={audit?.SpoolDepth ?? 0} connections={fleet.Connections}");
        return 0;
    }

    private static void Print(string line)
    {
        lock (OutputLock)
        {
            Console.Out.WriteLine(line);
            Console.Out.Flush();
        }
    }
}
