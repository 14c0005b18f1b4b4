using Degradation.KillSwitches;
using Degradation.Load;
using Degradation.Storage.Postgres;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Degradation.Tests.Postgres;

/// <summary>UsePostgres(connectionString) on the hosting builder, on a real generic host and a real server.</summary>
[Collection(PostgresCollection.Name)]
public sealed class UsePostgresHostingTests(PostgresServer server)
{
    [Fact]
    public async Task A_host_with_UsePostgres_migrates_audits_follows_fleet_commands_and_uses_the_postgres_wal()
    {
        var schema = PostgresServer.NewSchema();
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Services.AddGracefulDegradation()
            .UsePostgres(server.ConnectionString, o =>
            {
                o.Schema = schema;
                o.ProcessId = "hosted-1";
                o.FleetPolicy = new PostgresFleetPolicyOptions { HeartbeatInterval = TimeSpan.FromMilliseconds(200), QueryTimeout = TimeSpan.FromMilliseconds(500), LossTimeout = TimeSpan.FromSeconds(2) };
            }, useForWal: true, policyLossMode: SystemMode.SafeMode)
            .AddWriteBuffer<NullTarget>(replayStage: null); // the WAL is the write buffer's: it opens with the buffer
        builder.Services.AddSingleton<IKillSwitchAction>(new MassCancel());
        using var host = builder.Build();
        await host.StartAsync();
        var system = host.Services.GetRequiredService<DegradationSystem>();
        var postgres = host.Services.GetRequiredService<PostgresDegradation>();
        await postgres.FleetPolicy!.Synchronized.WaitAsync(TimeSpan.FromSeconds(60));
        Assert.Equal(SystemMode.SafeMode, system.Policy.DecisionMatrix["fleet.policy_lost"]);
        Assert.True(system.Policy.GetComponent(new ComponentId("fleet-policy"))!.Critical);
        Assert.IsType<PostgresWalStore>(host.Services.GetRequiredService<IWalStore>());

        await using (var commands = postgres.CreateCommands())
            await commands.HaltAsync("op-hosted", "fleet drill");
        for (var i = 0; i < 6000 && system.Gate.Mode != SystemMode.Halt; i++) await Task.Delay(10); // at least 60 s: a hang guard
        Assert.Equal(SystemMode.Halt, system.Gate.Mode);
        await system.KillSwitch.WhenIdleAsync().WaitAsync(TimeSpan.FromSeconds(60));
        new LoadLevelMonitor(audit: host.Services.GetRequiredService<DegradationRuntime>().Audit).Evaluate(5_000_000, 0);
        // Every audit record of the runtime reaches audit_records, the kill-switch outcome included.
        const string recordsSql = "SELECT coalesce(string_agg(action, ',' ORDER BY action), '') FROM {0}.audit_records WHERE process_id = 'hosted-1' AND action IN ('kill_switch_action', 'load.level_changed')";
        for (var i = 0; i < 6000 && await server.ScalarAsync<string>(string.Format(System.Globalization.CultureInfo.InvariantCulture, recordsSql, schema)) != "kill_switch_action,load.level_changed"; i++)
            await Task.Delay(10); // at least 60 s: a hang guard
        Assert.Equal("kill_switch_action,load.level_changed", await server.ScalarAsync<string>(string.Format(System.Globalization.CultureInfo.InvariantCulture, recordsSql, schema)));

        await host.StopAsync();
        var rows = await server.ScalarAsync<long>($"SELECT count(*) FROM {schema}.mode_transitions WHERE process_id = 'hosted-1'");
        Assert.Equal(system.StateMachine.TransitionCount, rows);
        Assert.Equal("op-hosted", await server.ScalarAsync<string>($"SELECT operator_id FROM {schema}.mode_transitions WHERE process_id = 'hosted-1' AND kind = 'operator_halt'"));
        Assert.Equal(0, host.Services.GetRequiredService<DegradationRuntime>().AuditFailures);
    }

    private sealed class MassCancel : IKillSwitchAction
    {
        public string Name => "venue-mass-cancel";

        public Task ExecuteAsync(KillSwitchContext context, CancellationToken cancellationToken) => Task.CompletedTask;
    }

    private sealed class NullTarget : IBufferedWriteTarget
    {
        public ValueTask WriteAsync(WalEntry entry, CancellationToken cancellationToken) => ValueTask.CompletedTask;

        public ValueTask<bool> IsAppliedAsync(WalEntry entry, CancellationToken cancellationToken) => ValueTask.FromResult(false);
    }

    [Fact]
    public void UsePostgres_rejects_bad_arguments_naming_them()
    {
        var builder = new ServiceCollection().AddGracefulDegradation();
        Assert.Equal("connectionString", Assert.ThrowsAny<ArgumentException>(() => builder.UsePostgres(" ")).ParamName);
        Assert.Equal("lossMode", Assert.ThrowsAny<ArgumentException>(() => builder.UsePostgres("Host=x", policyLossMode: SystemMode.Normal)).ParamName);
    }
}
