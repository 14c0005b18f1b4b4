using Degradation.Storage.Postgres;

namespace Degradation.FleetCli;

/// <summary><c>migrate</c>: creates or upgrades the schema (safe to run from many processes at once).</summary>
internal static class MigrateVerb
{
    public static async Task<int> RunAsync(CliArguments arguments)
    {
        var connection = arguments.Require("connection", "DEGRADATION_PG");
        var schema = arguments.Get("schema") ?? "public";
        var result = await PostgresSchema.MigrateAsync(connection, schema);
        Console.WriteLine($"MIGRATED schema={schema} from={result.FromVersion} to={result.ToVersion} applied={string.Join(',', result.Applied)}");
        return 0;
    }
}
