using System.Net;
using System.Net.Sockets;
using Degradation.Storage.Postgres;
using Microsoft.Extensions.Time.Testing;

namespace Degradation.Tests.Postgres;

/// <summary>
/// A process that has not read the fleet policy since it started cannot trade, whatever its loss handling, and
/// a database that is down from the start is reported lost after the loss timeout — on the system's clock
/// (<see cref="FakeTimeProvider"/>), against a port nobody listens on.
/// </summary>
public sealed class FleetFailClosedTests
{
    private static readonly ComponentId Fleet = new(PostgresFleetPolicyOptions.DefaultComponent);

    private static string UnreachableConnectionString()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        return $"Host=127.0.0.1;Port={port};Username=nobody;Timeout=1";
    }

    private static PostgresFleetPolicyOptions Timing() => new()
    {
        HeartbeatInterval = TimeSpan.FromSeconds(1), QueryTimeout = TimeSpan.FromSeconds(1), LossTimeout = TimeSpan.FromSeconds(5),
    };

    /// <summary>Heartbeats the trading components and walks the cold-start run as far as the state machine lets it (the systems here need no stability wait).</summary>
    private static void TryToReachNormal(DegradationSystem system)
    {
        foreach (var component in new[] { ComponentId.Broker, ComponentId.MarketData, ComponentId.Risk }) system.Heartbeat(component);
        system.Bus.ProcessPending();
        if (system.StateMachine.ActiveRecoveryRun is { } run)
        {
            system.StateMachine.TryAdvanceStage(run, RecoveryStage.CatchupMarketData);
            system.StateMachine.TryAdvanceStage(run, RecoveryStage.VerifyRisk);
            system.StateMachine.TryAdvanceStage(run, RecoveryStage.Ready);
        }
        system.StateMachine.Tick();
    }

    private static void AssertNoNewRisk(DegradationSystem system, string when)
    {
        foreach (var action in new[] { ActionType.Open, ActionType.Send, ActionType.Amend })
            Assert.False(system.Gate.Allows(action), $"{action} must be refused {when} (mode {system.Gate.Mode})");
    }

    [Fact]
    public async Task Without_the_fleet_policy_the_same_walk_reaches_Normal()
    {
        // The control for the tests below: the walk itself opens the gate when nothing else holds it shut.
        var time = new FakeTimeProvider();
        await using var system = DegradationSystem.Create(new DegradationOptions { Recovery = { StablePeriod = TimeSpan.Zero } }, time);
        TryToReachNormal(system);
        Assert.Equal(SystemMode.Normal, system.Gate.Mode);
        Assert.True(system.Gate.Allows(ActionType.Send));
    }

    [Theory]
    [InlineData(SystemMode.SafeMode)]
    [InlineData(SystemMode.Degraded)]
    public async Task Until_the_policy_is_read_no_trading_action_is_allowed_and_a_database_down_from_the_start_is_reported_lost(SystemMode lossMode)
    {
        var time = new FakeTimeProvider();
        // No stability wait: nothing but the fleet policy may stand between the walk and Normal.
        var options = PostgresFleetPolicyOptions.RegisterLossHandling(new DegradationOptions { Recovery = { StablePeriod = TimeSpan.Zero } }, lossMode);
        await using var system = DegradationSystem.Create(options, time);
        await using var policy = new PostgresFleetPolicy(UnreachableConnectionString(), Timing());
        await policy.StartAsync(system);

        TryToReachNormal(system);
        AssertNoNewRisk(system, "before the policy was ever read");
        Assert.Equal(ComponentLevel.Unknown, system.StateMachine.GetComponent(Fleet)!.Level);

        // 4.9 s of refused connections: still Unknown, still shut, not yet reported lost.
        for (var i = 0; i < 49; i++)
        {
            time.Advance(TimeSpan.FromMilliseconds(100));
            TryToReachNormal(system);
            AssertNoNewRisk(system, $"{(i + 1) * 100} ms into a refused start");
        }
        Assert.False(policy.IsPolicyLost);

        // The loss timeout: the loss is reported, and because the policy was never read it fails closed even
        // when the firm chose to keep trading on a later loss.
        time.Advance(TimeSpan.FromMilliseconds(100));
        system.Bus.ProcessPending();
        Assert.True(policy.IsPolicyLost);
        var status = system.StateMachine.GetComponent(Fleet)!;
        Assert.Contains(status.Conditions, c => c.Reason.Value == PostgresFleetPolicyOptions.DefaultLossReason && c.Mode == lossMode);
        Assert.Contains(status.Conditions, c => c.Reason.Value == PostgresFleetPolicyOptions.DefaultNotReadReason && c.Mode == SystemMode.SafeMode);
        system.StateMachine.Tick();
        Assert.Equal(SystemMode.SafeMode, system.Gate.Mode);

        // A long outage keeps the report fresh (the component never goes stale), and the gate stays shut.
        for (var i = 0; i < 120; i++)
        {
            time.Advance(TimeSpan.FromSeconds(1));
            TryToReachNormal(system);
            AssertNoNewRisk(system, $"{i + 1} s into the reported loss");
        }
        Assert.NotEqual(ComponentLevel.Unknown, system.StateMachine.GetComponent(Fleet)!.Level);
    }

    [Fact]
    public void Loss_handling_is_fail_closed_by_default_and_the_component_is_critical_in_every_mode()
    {
        var byDefault = PostgresFleetPolicyOptions.RegisterLossHandling(new DegradationOptions());
        Assert.True(byDefault.Components[PostgresFleetPolicyOptions.DefaultComponent].Critical);
        Assert.Equal(SystemMode.SafeMode, byDefault.DecisionMatrix[PostgresFleetPolicyOptions.DefaultLossReason]);
        Assert.Equal(SystemMode.SafeMode, byDefault.DecisionMatrix[PostgresFleetPolicyOptions.DefaultNotReadReason]);

        var keepTrading = PostgresFleetPolicyOptions.RegisterLossHandling(new DegradationOptions(), SystemMode.Degraded);
        Assert.True(keepTrading.Components[PostgresFleetPolicyOptions.DefaultComponent].Critical);
        Assert.Equal(SystemMode.Degraded, keepTrading.DecisionMatrix[PostgresFleetPolicyOptions.DefaultLossReason]);
        Assert.Equal(SystemMode.SafeMode, keepTrading.DecisionMatrix[PostgresFleetPolicyOptions.DefaultNotReadReason]);

        var halt = PostgresFleetPolicyOptions.RegisterLossHandling(new DegradationOptions(), SystemMode.Halt);
        Assert.Equal(SystemMode.Halt, halt.DecisionMatrix[PostgresFleetPolicyOptions.DefaultNotReadReason]);
    }

    [Theory]
    [InlineData(1, 2, 1)]    // equal to the heartbeat interval: the race that broke idle connections
    [InlineData(1, 2, 3)]    // equal to a whole heartbeat round
    [InlineData(1, 2, -1)]
    public void A_driver_keepalive_that_could_fire_during_a_heartbeat_round_is_refused_naming_the_option_and_the_bound(int heartbeatS, int queryTimeoutS, int keepAliveS)
    {
        var options = new PostgresFleetPolicyOptions
        {
            HeartbeatInterval = TimeSpan.FromSeconds(heartbeatS), QueryTimeout = TimeSpan.FromSeconds(queryTimeoutS),
            LossTimeout = TimeSpan.FromSeconds(10), KeepAlive = TimeSpan.FromSeconds(keepAliveS),
        };
        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => new PostgresFleetPolicy("Host=127.0.0.1", options));
        Assert.Equal(nameof(PostgresFleetPolicyOptions.KeepAlive), ex.ParamName);
        if (keepAliveS > 0) Assert.Contains("HeartbeatInterval + QueryTimeout (00:00:03)", ex.Message);
    }

    [Fact]
    public void A_fractional_keepalive_is_refused_and_a_longer_one_or_none_is_accepted()
    {
        var fractional = new PostgresFleetPolicyOptions { KeepAlive = TimeSpan.FromSeconds(4.5) };
        Assert.Equal(nameof(PostgresFleetPolicyOptions.KeepAlive), Assert.Throws<ArgumentOutOfRangeException>(() => new PostgresFleetPolicy("Host=127.0.0.1", fractional)).ParamName);
        Assert.NotNull(new PostgresFleetPolicy("Host=127.0.0.1", new PostgresFleetPolicyOptions { KeepAlive = TimeSpan.FromSeconds(4) }));
        Assert.NotNull(new PostgresFleetPolicy("Host=127.0.0.1", new PostgresFleetPolicyOptions()));
        var lossTooShort = new PostgresFleetPolicyOptions { HeartbeatInterval = TimeSpan.FromSeconds(2), QueryTimeout = TimeSpan.FromSeconds(2), LossTimeout = TimeSpan.FromSeconds(3) };
        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => new PostgresFleetPolicy("Host=127.0.0.1", lossTooShort));
        Assert.Equal(nameof(PostgresFleetPolicyOptions.LossTimeout), ex.ParamName);
    }
}
