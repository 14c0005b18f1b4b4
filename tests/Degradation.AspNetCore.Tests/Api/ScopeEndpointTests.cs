using System.Net;
using System.Text.Json;
using Degradation.Tests.Infrastructure;

namespace Degradation.Tests.Api;

/// <summary>The scope tree over HTTP: GET scopes, and per-scope halt, force and release with the state machine's own rules.</summary>
public sealed class ScopeEndpointTests
{
    private static async Task<TradingScope[]> AddOpenAsync(DegradationTestHost host, params string[] paths)
    {
        foreach (var path in paths) host.System.Scopes.Add(path, path.Contains('/') ? null : new ScopeOptions().WithCritical("broker"));
        foreach (var scope in host.System.Scopes.GetScopes().Where(s => !s.IsProcess))
        {
            scope.Heartbeat(ComponentId.Broker);
            await scope.Bus.DrainAsync();
            if (scope.StateMachine.ActiveRecoveryRun is { } run) await scope.Recovery!.WhenRunFinishedAsync(run).WaitAsync(TimeSpan.FromSeconds(60));
            scope.StateMachine.Tick(); // Recovery:StablePeriod is zero: Ready lands at once
            Assert.Equal(SystemMode.Normal, scope.StateMachine.Mode);
        }
        return [.. paths.Select(host.System.Gate.Resolve)];
    }

    private static JsonElement Scope(JsonElement list, string path) =>
        list.GetProperty("scopes").EnumerateArray().Single(s => s.Str("path") == path);

    [Fact]
    public async Task Get_scopes_lists_every_scope_with_its_own_and_effective_mode()
    {
        await using var host = await DegradationTestHost.StartAsync();
        var (venue, strategy) = (await AddOpenAsync(host, "venue-a", "venue-a/acct-1/strat-x")) is [var v, var s] ? (v, s) : default;
        venue.ReportFailure(ComponentId.Broker, ReasonCode.BrokerDisconnect);

        using var response = await host.ViewerClient().GetAsync("/degradation/scopes");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await response.JsonAsync();
        Assert.Equal(4, body.GetProperty("scopes").GetArrayLength());
        var process = Scope(body, "");
        Assert.Equal("process", process.Str("level"));
        Assert.Equal("normal", process.Str("effective_mode"));
        var venueJson = Scope(body, "venue-a");
        Assert.Equal("safe_mode_disconnected", venueJson.Str("mode"));
        Assert.Equal("broker.disconnect", venueJson.GetProperty("conditions")[0].Str("reason"));
        var strategyJson = Scope(body, "venue-a/acct-1/strat-x");
        Assert.Equal("strategy", strategyJson.Str("level"));
        Assert.Equal("venue-a/acct-1", strategyJson.Str("parent"));
        Assert.Equal("normal", strategyJson.Str("mode"));
        Assert.Equal("safe_mode_disconnected", strategyJson.Str("effective_mode"));
        Assert.Equal("venue-a", strategyJson.Str("governed_by"));
        Assert.Equal(["query"], strategyJson.GetProperty("allowed_actions").EnumerateArray().Select(a => a.GetString()));
        Assert.False(host.System.Gate.For(strategy).Allows(ActionType.Send));
    }

    [Fact]
    public async Task Halting_one_strategy_over_http_stops_it_alone_and_its_release_goes_through_recovery()
    {
        await using var host = await DegradationTestHost.StartAsync();
        var scopes = await AddOpenAsync(host, "venue-a", "venue-a/acct-1/strat-x", "venue-a/acct-1/strat-y");
        var client = host.OperatorClient();

        using var halt = await client.PostRawAsync("/degradation/scopes/venue-a/acct-1/strat-x/halt", """{"reason":"runaway strategy"}""");

        Assert.Equal(HttpStatusCode.OK, halt.StatusCode);
        var body = await halt.JsonAsync();
        Assert.True(body.GetProperty("accepted").GetBoolean());
        Assert.Equal("halt", body.GetProperty("scope").Str("effective_mode"));
        Assert.Equal("alice", body.GetProperty("transition").Str("operator_id"));
        Assert.False(host.System.Gate.For(scopes[1]).Allows(ActionType.Send));
        Assert.True(host.System.Gate.For(scopes[2]).Allows(ActionType.Send));
        Assert.True(host.System.Gate.For(scopes[0]).Allows(ActionType.Send));
        Assert.True(host.System.Gate.Allows(ActionType.Send));

        using var release = await client.PostRawAsync("/degradation/scopes/venue-a/acct-1/strat-x/release", """{"reason":"fixed","target":"halt"}""");
        Assert.Equal(HttpStatusCode.OK, release.StatusCode);
        var released = (await release.JsonAsync()).GetProperty("transition");
        Assert.Equal("recovering", released.Str("to_mode")); // never straight back to trading: the scope's own recovery runs first
        Assert.Equal("halt.released", released.Str("reason_code"));
    }

    [Fact]
    public async Task The_firm_wide_kill_switch_halts_every_scope()
    {
        await using var host = await DegradationTestHost.StartAsync();
        var scopes = await AddOpenAsync(host, "venue-a", "venue-b/acct-2");

        using var response = await host.OperatorClient().PostRawAsync("/degradation/scopes/halt", """{"reason":"firm-wide stop"}""");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(SystemMode.Halt, host.System.Gate.Mode);
        foreach (var scope in host.System.Scopes.GetScopes()) Assert.False(host.System.Gate.For(scope).Allows(ActionType.Cancel), scope.DisplayPath);
        Assert.All(scopes, s => Assert.Equal(SystemMode.Halt, host.System.Gate.For(s).Mode));
    }

    [Fact]
    public async Task Forcing_a_scope_open_past_its_conditions_needs_their_acknowledgement()
    {
        await using var host = await DegradationTestHost.StartAsync();
        var venue = (await AddOpenAsync(host, "venue-a"))[0];
        venue.ReportFailure(ComponentId.Broker, ReasonCode.BrokerDisconnect);
        var client = host.OperatorClient();

        using var refused = await client.PostRawAsync("/degradation/scopes/venue-a/force", """{"mode":"normal","ttl_seconds":60,"reason":"trade anyway"}""");
        Assert.Equal(HttpStatusCode.Conflict, refused.StatusCode);
        var body = await refused.JsonAsync();
        Assert.False(body.GetProperty("accepted").GetBoolean());
        Assert.Equal("acknowledgement_required", body.Str("refusal"));
        Assert.False(host.System.Gate.For(venue).Allows(ActionType.Send));

        using var accepted = await client.PostRawAsync("/degradation/scopes/venue-a/force",
            """{"mode":"normal","ttl_seconds":60,"reason":"trade anyway","acknowledge":["broker.disconnect"]}""");
        Assert.Equal(HttpStatusCode.OK, accepted.StatusCode);
        Assert.True(host.System.Gate.For(venue).Allows(ActionType.Send));
    }

    [Fact]
    public async Task A_command_based_on_a_stale_view_is_refused()
    {
        await using var host = await DegradationTestHost.StartAsync();
        var venue = (await AddOpenAsync(host, "venue-a"))[0];
        var seen = venue.StateMachine.CurrentSequence;
        venue.ReportFailure(ComponentId.Broker, ReasonCode.BrokerDisconnect);

        using var response = await host.OperatorClient().PostRawAsync("/degradation/scopes/venue-a/force",
            $$"""{"mode":"normal","ttl_seconds":60,"reason":"as I saw it","expected_sequence":{{seen}},"acknowledge":["broker.disconnect"]}""");

        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        Assert.Equal("sequence_mismatch", (await response.JsonAsync()).Str("refusal"));
        Assert.False(host.System.Gate.For(venue).Allows(ActionType.Send));
    }

    [Fact]
    public async Task Bad_scope_commands_are_answered_with_the_field_or_scope_named()
    {
        await using var host = await DegradationTestHost.StartAsync();
        await AddOpenAsync(host, "venue-a");
        var client = host.OperatorClient();

        using var unknown = await client.PostRawAsync("/degradation/scopes/venue-z/halt", """{"reason":"x"}""");
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.Contains("venue-z", await unknown.Content.ReadAsStringAsync());

        using var noReason = await client.PostRawAsync("/degradation/scopes/venue-a/halt", "{}");
        await noReason.AssertValidationProblemAsync("reason");

        using var badMode = await client.PostRawAsync("/degradation/scopes/venue-a/force", """{"mode":"party","ttl_seconds":60,"reason":"x"}""");
        Assert.Contains("party", await badMode.AssertValidationProblemAsync("mode"));

        using var badTarget = await client.PostRawAsync("/degradation/scopes/venue-a/release", """{"target":"everything","reason":"x"}""");
        Assert.Contains("everything", await badTarget.AssertValidationProblemAsync("target"));

        Assert.True(host.System.Gate.For(host.System.Gate.Resolve("venue-a")).Allows(ActionType.Send));
    }

    [Fact]
    public async Task A_viewer_cannot_halt_or_force_a_scope()
    {
        await using var host = await DegradationTestHost.StartAsync();
        var venue = (await AddOpenAsync(host, "venue-a"))[0];
        var viewer = host.ViewerClient();

        Assert.Equal(HttpStatusCode.Forbidden, (await viewer.PostRawAsync("/degradation/scopes/venue-a/halt", """{"reason":"x"}""")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await viewer.PostRawAsync("/degradation/scopes/venue-a/release", """{"reason":"x"}""")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await host.AnonymousClient().PostRawAsync("/degradation/scopes/venue-a/halt", """{"reason":"x"}""")).StatusCode);
        Assert.Equal(SystemMode.Normal, venue.StateMachine.Mode);
    }
}
