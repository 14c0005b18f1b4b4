using Microsoft.Extensions.Time.Testing;
using System.Net;
using System.Net.Sockets;
using Degradation.Storage.Postgres;
using Degradation.Testing;

namespace Degradation.Tests.Postgres;

/// <summary>The loss timeout is measured on the system's TimeProvider: deterministic with a manual clock, no real waiting.</summary>
public sealed class FleetPolicyLossTimingTests
{
    [Fact]
    public async Task The_loss_reason_is_reported_exactly_when_the_loss_timeout_passes_on_the_systems_clock()
    {
        var time = new FakeTimeProvider(FakeTimeProviderExtensions.TestStart);
        var options = PostgresFleetPolicyOptions.RegisterLossHandling(new DegradationOptions());
        await using var system = DegradationSystem.Create(options, time);
        int unusedPort;
        using (var listener = new TcpListener(IPAddress.Loopback, 0))
        {
            listener.Start();
            unusedPort = ((IPEndPoint)listener.LocalEndpoint).Port;
        }
        await using var policy = new PostgresFleetPolicy($"Host=127.0.0.1;Port={unusedPort};Username=nobody;Timeout=1", new PostgresFleetPolicyOptions
        {
            HeartbeatInterval = TimeSpan.FromSeconds(1), QueryTimeout = TimeSpan.FromSeconds(1), LossTimeout = TimeSpan.FromSeconds(5),
        });
        await policy.StartAsync(system);
        var component = new ComponentId(PostgresFleetPolicyOptions.DefaultComponent);

        for (var i = 0; i < 49; i++) time.Advance(TimeSpan.FromMilliseconds(100)); // 4.9 s: connection refused all along, but not yet lost
        system.Bus.ProcessPending();
        Assert.False(policy.IsPolicyLost);
        Assert.Empty(system.StateMachine.GetComponent(component)?.Conditions ?? []);

        time.Advance(TimeSpan.FromMilliseconds(100)); // 5.0 s: exactly the loss timeout
        system.Bus.ProcessPending();
        Assert.True(policy.IsPolicyLost);
        var status = system.StateMachine.GetComponent(component)!;
        Assert.Contains(status.Conditions, c => c.Reason.Value == PostgresFleetPolicyOptions.DefaultLossReason && c.Mode == SystemMode.SafeMode);
        Assert.False(policy.IsConnected);
    }
}
