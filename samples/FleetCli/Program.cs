using Degradation.FleetCli;

// degradation-fleet: the operator's fleet command line, and the child process the PostgreSQL fleet tests start.
//   migrate --connection CS [--schema S]
//   run     --connection CS [--schema S] [--process-id ID] [--group G] [--heartbeat-ms N] [--query-timeout-ms N]
//           [--loss-timeout-ms N] [--loss-mode safemode|degraded] [--keepalive-s N]
//           [--spool-dir DIR] [--audit on|off] [--migrate on|off] [--scopes venue-a/acct-1,venue-b]
//   fleet halt-all              [--group G] [--scope S] [--ttl 10m] --operator OP --reason TEXT
//   fleet force MODE --ttl 30s  [--group G] [--scope S]             --operator OP --reason TEXT
//   fleet release               [--group G] [--scope S]             --operator OP --reason TEXT
// --scope venue-a/acct-1 acts on that scope of every targeted process only (its other scopes keep trading).
//   fleet list [--limit N] | fleet acks COMMAND-ID
// The connection string may come from DEGRADATION_PG instead of --connection.
try
{
    var arguments = new CliArguments(args);
    var verb = arguments.Positional.FirstOrDefault();
    return verb switch
    {
        "migrate" => await MigrateVerb.RunAsync(arguments),
        "run" => await RunVerb.RunAsync(arguments),
        "fleet" => await FleetVerb.RunAsync(arguments),
        _ => Usage(verb),
    };
}
catch (CliException ex)
{
    Console.Error.WriteLine("error: " + ex.Message);
    return 2;
}

static int Usage(string? verb)
{
    Console.Error.WriteLine((verb is null ? "" : $"unknown verb '{verb}'. ") + "usage: degradation-fleet migrate|run|fleet ... (see Program.cs)");
    return 2;
}
