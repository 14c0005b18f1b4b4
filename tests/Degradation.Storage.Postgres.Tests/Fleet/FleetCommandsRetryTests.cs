using Degradation.Storage.Postgres;
using Xunit.Abstractions;

namespace Degradation.Tests.Postgres;

/// <summary>Issuing survives a pooled connection the server closed (57P01), and a retried insert never makes a second command.</summary>
[Collection(PostgresCollection.Name)]
public sealed class FleetCommandsRetryTests(PostgresServer server, ITestOutputHelper output) : IAsyncLifetime
{
    private readonly string _schema = PostgresServer.NewSchema();

    public async Task InitializeAsync() => await PostgresSchema.MigrateAsync(server.ConnectionString, _schema);

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task A_command_issued_over_a_pooled_connection_the_server_terminated_is_retried_and_stored_once()
    {
        const string application = "fleet-retry-test";
        await using var dataSource = Npgsql.NpgsqlDataSource.Create(server.ConnectionString + $";Application Name={application}");
        await using var commands = new FleetCommands(dataSource, _schema);
        var first = await commands.HaltAsync("op-retry", "warm the pool", ttl: TimeSpan.FromMinutes(1));

        // What a database restart does to an idle pooled connection: the server ends the session (57P01).
        var terminated = await server.ScalarAsync<long>(
            "SELECT count(*) FROM (SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = @app) t", ("app", application));
        Assert.True(terminated >= 1, "the pooled connection was terminated");

        var second = await commands.ReleaseAsync("op-retry", "first command after the restart");
        output.WriteLine($"retries after the pooled connection was terminated: {commands.Retries}");
        Assert.True(commands.Retries >= 1, "the dead pooled connection failed the first attempt");
        Assert.True(second.Sequence > first.Sequence);
        Assert.Equal(1, await server.ScalarAsync<long>($"SELECT count(*) FROM {_schema}.fleet_policy WHERE command_id = @id", ("id", second.CommandId)));
        Assert.Equal(2, await server.ScalarAsync<long>($"SELECT count(*) FROM {_schema}.fleet_policy"));
    }

    [Fact]
    public async Task An_attempt_repeated_after_its_commit_returns_the_stored_command_instead_of_a_second_one()
    {
        await using var dataSource = server.CreateDataSource();
        await using var commands = new FleetCommands(dataSource, _schema);
        var id = Guid.NewGuid();
        var stored = await commands.InsertAsync(id, FleetCommandKind.Halt, SystemMode.Halt, null, "op-idem", "first attempt", null, null, CancellationToken.None);
        var repeated = await commands.InsertAsync(id, FleetCommandKind.Halt, SystemMode.Halt, null, "op-idem", "first attempt", null, null, CancellationToken.None);
        Assert.Equal(stored, repeated);
        Assert.Equal(1, await server.ScalarAsync<long>($"SELECT count(*) FROM {_schema}.fleet_policy WHERE command_id = @id", ("id", id)));
    }
}
