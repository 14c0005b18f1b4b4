using System.CommandLine;
using System.CommandLine.Help;
using System.CommandLine.Parsing;
using System.Globalization;

namespace Degradation.FleetCli;

/// <summary>
/// The command line of <c>degradation-fleet</c>, declared with System.CommandLine: verbs, actions, options and their
/// help text. Parsing rejects an unknown verb or option, a missing value or a value of the wrong type with a
/// message naming it; what parses is handed to the verbs as <see cref="CliArguments"/>, which check the rest
/// (durations, modes, required options).
/// </summary>
internal static class FleetCommandLine
{
    /// <summary>The exit code for a command line that does not parse.</summary>
    public const int BadArguments = 2;

    /// <summary>The whole command tree.</summary>
    public static RootCommand Create()
    {
        var root = new RootCommand("""
            degradation-fleet: fleet-wide operator commands over PostgreSQL (halt, force, release), the schema
            migration, and a stand-in trading process that follows the fleet policy.
            The connection string may come from DEGRADATION_PG instead of --connection.
            Exit code: 0 on success, 2 for bad arguments, 1 when a command fails.
            """);
        root.Subcommands.Add(new Command("migrate", "Create or upgrade the schema (safe to run from many processes at once).")
        {
            Connection(), Schema(),
        });
        root.Subcommands.Add(new Command("run", "Run a stand-in trading process that follows the fleet policy and prints every gate change; stops on 'quit' or end of input.")
        {
            Connection(), Schema(),
            Text("--process-id", "ID", "This process's id in the fleet (default: host name and process id)."),
            Text("--group", "G", "The fleet group this process belongs to (default: none, only fleet-wide commands)."),
            Number("--heartbeat-ms", "Fleet heartbeat interval in milliseconds (default 1000)."),
            Number("--query-timeout-ms", "Timeout of each policy query in milliseconds (default 2000)."),
            Number("--loss-timeout-ms", "How long the policy channel may be lost before fleet.policy_lost, in milliseconds (default 5000)."),
            OneOf("--loss-mode", "Mode on losing the policy channel (default safemode).", "safemode", "safe_mode", "degraded"),
            Number("--keepalive-s", "TCP keepalive of the listening connection in seconds; 0 (default) for off.", allowZero: true),
            Text("--spool-dir", "DIR", "Directory that spools audit rows while the database is away."),
            OneOf("--audit", "Write every transition to the audit table (default on).", "on", "off"),
            OneOf("--migrate", "Migrate the schema at start (default on).", "on", "off"),
            Text("--scopes", "S1,S2", "Scopes to create in this process, comma-separated paths (e.g. venue-a/acct-1,venue-b)."),
        });

        var fleet = new Command("fleet", "Issue an operator command to every process of the fleet (or of one group), or show the commands.");
        var haltAll = Issue("halt-all", "Halt every process (kill switch); lasts until released unless --ttl is given.", ttlRequired: false);
        haltAll.Aliases.Add("halt");
        fleet.Subcommands.Add(haltAll);
        var force = Issue("force", "Force every process to MODE for --ttl (a loosening force is refused by processes whose conditions forbid it).", ttlRequired: true);
        force.Arguments.Add(new Argument<SystemMode>("MODE") { Description = "Normal, Degraded, SafeMode, SafeModeDisconnected, Halt or Recovering." });
        fleet.Subcommands.Add(force);
        fleet.Subcommands.Add(Issue("release", "Release the fleet's halt or forced mode.", ttlRequired: false));
        fleet.Subcommands.Add(new Command("list", "Show the latest fleet commands.")
        {
            Connection(), Schema(), Number("--limit", "How many commands to show (default 20)."),
        });
        var acks = new Command("acks", "Show which processes applied a command, and how.") { Connection(), Schema() };
        acks.Arguments.Add(new Argument<Guid>("COMMAND-ID") { Description = "The id printed when the command was issued." });
        fleet.Subcommands.Add(acks);
        root.Subcommands.Add(fleet);
        return root;
    }

    /// <summary>
    /// Parses <paramref name="args"/>. Returns the arguments for the verbs, or null after printing the help
    /// (exit code 0) or the errors, each naming the bad verb, option or value (exit code <see cref="BadArguments"/>).
    /// </summary>
    public static CliArguments? Parse(string[] args, TextWriter output, TextWriter error, out int exitCode)
    {
        var parsed = Create().Parse(args);
        if (parsed.Action is HelpAction)
        {
            parsed.Invoke(new InvocationConfiguration { Output = output, Error = error });
            exitCode = 0;
            return null;
        }
        if (parsed.Errors.Count > 0)
        {
            foreach (var e in parsed.Errors) error.WriteLine("error: " + e.Message);
            error.WriteLine($"Run 'degradation-fleet {string.Join(' ', Path(parsed.CommandResult).Skip(1))} --help'.".Replace("  ", " ", StringComparison.Ordinal));
            exitCode = BadArguments;
            return null;
        }
        exitCode = 0;
        var positional = Path(parsed.CommandResult).Skip(1).ToList();
        var options = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var child in parsed.CommandResult.Children)
        {
            if (child is OptionResult { Implicit: false } option && option.Tokens.Count > 0)
                options[option.Option.Name.TrimStart('-')] = option.Tokens[0].Value;
            else if (child is ArgumentResult argument && argument.Tokens.Count > 0)
                positional.Add(argument.Tokens[0].Value);
        }
        return new CliArguments(positional, options);
    }

    private static IEnumerable<string> Path(CommandResult command)
    {
        var names = new Stack<string>();
        for (SymbolResult? s = command; s is not null; s = s.Parent)
            if (s is CommandResult c) names.Push(c.Command.Name);
        return names;
    }

    private static Command Issue(string name, string description, bool ttlRequired)
    {
        var ttl = Text("--ttl", "DURATION", $"How long it lasts: 90, 30s, 5m, 1h or 1d{(ttlRequired ? "" : " (default: until released)")}.");
        ttl.Required = ttlRequired;
        var operatorId = Text("--operator", "OP", "Your operator id, recorded in every process's audit trail.");
        operatorId.Required = true;
        var reason = Text("--reason", "TEXT", "Why, in words the next operator will understand.");
        reason.Required = true;
        return new Command(name, description)
        {
            Connection(), Schema(), Text("--channel", "NAME", $"The NOTIFY channel (default {Storage.Postgres.PostgresFleetPolicyOptions.DefaultChannel})."),
            Text("--group", "G", "Only the processes of this group (default: the whole fleet)."),
            Text("--scope", "S", "Only this scope of every targeted process, e.g. venue-a/acct-1 (its other scopes keep trading)."),
            ttl, operatorId, reason,
        };
    }

    private static Option<string> Connection() => Text("--connection", "CS", "PostgreSQL connection string (or set DEGRADATION_PG).");

    private static Option<string> Schema() => Text("--schema", "S", "Schema of the degradation tables (default public).");

    private static Option<string> Text(string name, string helpName, string description) =>
        new(name) { Description = description, HelpName = helpName };

    private static Option<int> Number(string name, string description, bool allowZero = false) =>
        new(name)
        {
            Description = description,
            HelpName = "N",
            CustomParser = result =>
            {
                var text = result.Tokens.Count > 0 ? result.Tokens[0].Value : "";
                if (int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) && (value > 0 || allowZero && value == 0))
                    return value;
                result.AddError($"{name} must be a whole number {(allowZero ? "of 0 or more" : "greater than 0")} (was '{text}').");
                return 0;
            },
        };

    private static Option<string> OneOf(string name, string description, params string[] values)
    {
        var option = Text(name, string.Join('|', values.Where(v => v != "safe_mode")), description);
        option.Validators.Add(result =>
        {
            var value = result.GetValueOrDefault<string>();
            if (value is not null && !values.Contains(value, StringComparer.OrdinalIgnoreCase))
                result.AddError($"{name} must be {string.Join(" or ", values.Where(v => v != "safe_mode"))} (was '{value}').");
        });
        return option;
    }
}
