using Degradation.Hosting;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Degradation.Tests.Metrics;

/// <summary>Metrics and health carry the scope: per-scope mode gauges, transitions tagged with their scope, closed scopes in the health check.</summary>
public sealed class ScopeMetricsTests : MetricsTestBase
{
    [Fact]
    public async Task The_mode_gauge_reports_each_scope_and_transitions_carry_their_scope_with_the_process_as_empty()
    {
        using var subscription = SystemUnderTest.Scopes.SubscribeTransitions(t => Metrics.RecordTransition(t.Transition)); // as the hosted service wires it
        var account = SystemUnderTest.Scopes.Add("venue-a/acct-1");
        SystemUnderTest.Scopes.Add("venue-a/acct-2");
        account.StateMachine.Halt("ops-1", "runaway account");
        await account.StateMachine.FlushObserversAsync();
        SystemUnderTest.StateMachine.Halt("ops-1", "firm-wide");
        await SystemUnderTest.StateMachine.FlushObserversAsync();

        var modes = Recorder.Of("degradation.mode");
        Assert.Equal(["", "venue-a", "venue-a/acct-1", "venue-a/acct-2"], modes.Select(m => (string)m.Tags["degradation.scope"]!));
        Assert.All(modes, m => Assert.Equal((int)SystemMode.Halt, m.Value)); // the process's Halt governs every scope
        Assert.Equal(4, Recorder.Of("degradation.recovery.stage").Count);

        Assert.Single(Recorder.Of("degradation.transitions", ("degradation.scope", "venue-a/acct-1"), ("degradation.mode.to", "halt")));
        Assert.Single(Recorder.Of("degradation.transitions", ("degradation.scope", ""), ("degradation.mode.to", "halt")));
        Assert.Empty(Recorder.Of("degradation.transitions", ("degradation.scope", "venue-a/acct-2"), ("degradation.mode.to", "halt")));
    }

    [Fact]
    public async Task The_health_check_lists_scopes_closed_at_their_own_level_and_keeps_the_process_status()
    {
        var account = SystemUnderTest.Scopes.Add("venue-a/acct-1");
        var check = new DegradationHealthCheck(SystemUnderTest);
        var before = await check.CheckHealthAsync(new HealthCheckContext());
        var listed = Assert.IsType<string[]>(before.Data["closed_scopes"]);
        Assert.Contains("venue-a/acct-1: recovering/connect_broker (cold_start)", listed); // a new scope starts cold

        account.StateMachine.Halt("ops-1", "runaway account");
        var after = await check.CheckHealthAsync(new HealthCheckContext());
        Assert.Contains("venue-a/acct-1: halt (operator.halt)", Assert.IsType<string[]>(after.Data["closed_scopes"]));
        Assert.Equal(before.Status, after.Status); // the account's Halt is not the process's
    }
}
