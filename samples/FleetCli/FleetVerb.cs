using Degradation.Storage.Postgres;

namespace Degradation.FleetCli;

/// <summary><c>fleet</c>: issues operator commands to the fleet (table row + NOTIFY) and shows them.</summary>
internal static class FleetVerb
{
    public static async Task<int> RunAsync(CliArguments arguments)
    {
        var action = arguments.Positional.ElementAtOrDefault(1) ?? throw new CliException("fleet needs an action: halt-all, force, release, list or acks.");
        await using var commands = new FleetCommands(arguments.Require("connection", "DEGRADATION_PG"), arguments.Get("schema") ?? "public",
            arguments.Get("channel") ?? PostgresFleetPolicyOptions.DefaultChannel);
        var group = arguments.Get("group");
        var scope = arguments.Get("scope"); // e.g. venue-a/acct-1: act on that scope of every process only
        switch (action)
        {
            case "halt-all":
            case "halt":
                Print(scope is null
                    ? await commands.HaltAsync(arguments.Require("operator"), arguments.Require("reason"), group, arguments.Duration("ttl"))
                    : await commands.IssueAsync(FleetCommandKind.Halt, SystemMode.Halt, arguments.Duration("ttl"), arguments.Require("operator"), arguments.Require("reason"), group, scope, CancellationToken.None));
                return 0;
            case "force":
                var modeText = arguments.Positional.ElementAtOrDefault(2) ?? throw new CliException("fleet force needs a MODE (Normal, Degraded, SafeMode, SafeModeDisconnected, Halt, Recovering).");
                if (!Enum.TryParse<SystemMode>(modeText, ignoreCase: true, out var mode) || !Enum.IsDefined(mode))
                    throw new CliException($"Unknown mode '{modeText}'.");
                var ttl = arguments.Duration("ttl") ?? throw new CliException("fleet force needs --ttl.");
                Print(await commands.IssueAsync(FleetCommandKind.Force, mode, ttl, arguments.Require("operator"), arguments.Require("reason"), group, scope, CancellationToken.None));
                return 0;
            case "release":
                Print(await commands.IssueAsync(FleetCommandKind.Release, null, null, arguments.Require("operator"), arguments.Require("reason"), group, scope, CancellationToken.None));
                return 0;
            case "list":
                var limit = int.TryParse(arguments.Get("limit"), out var l) && l > 0 ? l : 20;
                foreach (var command in await commands.ListAsync(limit)) Console.WriteLine(command);
                return 0;
            case "acks":
                var idText = arguments.Positional.ElementAtOrDefault(2);
                if (!Guid.TryParse(idText, out var id)) throw new CliException($"fleet acks needs a command id (was '{idText}').");
                foreach (var ack in await commands.GetAcknowledgementsAsync(id))
                    Console.WriteLine($"{ack.ProcessId} {ack.HostId} {ack.AppliedAt:O} {ack.Outcome} {ack.Details}");
                return 0;
            default:
                throw new CliException($"Unknown fleet action '{action}' (halt-all, force, release, list, acks).");
        }
    }

    private static void Print(FleetCommand command) => Console.WriteLine($"ISSUED {command.CommandId} {command}");
}
