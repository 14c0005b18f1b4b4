using System.Net;
using Degradation.Tests.Infrastructure;

namespace Degradation.Tests.Api;

public sealed class ReadEndpointTests
{
    [Fact]
    public async Task Status_at_cold_start_is_recovering_connect_broker_in_seed_wire_names()
    {
        await using var host = await DegradationTestHost.StartAsync(bringUpToNormal: false);
        using var response = await host.ViewerClient().GetAsync("/degradation/status");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        var status = await response.JsonAsync();
        Assert.Equal("recovering", status.Str("mode"));
        Assert.Equal("connect_broker", status.Str("stage"));
        Assert.Equal("unknown", status.Str("level")); // no critical component has reported yet
        Assert.False(status.GetProperty("is_override").GetBoolean());
        Assert.True(status.IsNull("override_expires_at"));
        Assert.Equal("cold_start", status.Str("recovery_trigger"));
        Assert.Equal("cold_start", status.GetProperty("last_transition").Str("reason_code"));
        Assert.Equal(1, status.GetProperty("override_ttl_bounds").GetProperty("min_seconds").GetDouble());
        Assert.Equal(3600, status.GetProperty("override_ttl_bounds").GetProperty("max_seconds").GetDouble());
    }

    [Fact]
    public async Task Status_says_why_the_system_is_not_Normal_and_nothing_once_it_is()
    {
        await using (var cold = await DegradationTestHost.StartAsync(bringUpToNormal: false))
        {
            var status = await (await cold.ViewerClient().GetAsync("/degradation/status")).JsonAsync();
            var holds = status.GetProperty("why_not_normal").EnumerateArray().ToList();
            var never = holds.Where(h => h.Str("kind") == "never_reported").Select(h => h.Str("component")).ToList();
            Assert.Contains("market_data", never);
            Assert.Contains("risk", never);
            Assert.Contains(holds, h => h.Str("kind") == "recovery_stage");
            Assert.All(holds, h => Assert.False(string.IsNullOrWhiteSpace(h.Str("text"))));
        }
        await using var normal = await DegradationTestHost.StartAsync();
        var healthy = await (await normal.ViewerClient().GetAsync("/degradation/status")).JsonAsync();
        Assert.Equal("normal", healthy.Str("mode"));
        Assert.Empty(healthy.GetProperty("why_not_normal").EnumerateArray());
    }

    [Fact]
    public async Task Status_follows_the_state_machine_through_recovery_stages_and_faults()
    {
        await using var host = await DegradationTestHost.StartAsync(bringUpToNormal: false);
        var client = host.ViewerClient();
        foreach (var component in new[] { ComponentId.Broker, ComponentId.MarketData, ComponentId.Risk })
            host.System.Heartbeat(component);
        await host.System.Bus.DrainAsync();
        var run = host.System.StateMachine.ActiveRecoveryRun!.Value;
        Assert.True(host.System.StateMachine.TryAdvanceStage(run, RecoveryStage.CatchupMarketData));

        var status = await (await client.GetAsync("/degradation/status")).JsonAsync();
        Assert.Equal("catchup_marketdata", status.Str("stage"));
        Assert.Equal(run.Value, status.GetProperty("recovery_run").GetInt64());

        Assert.True(host.System.StateMachine.TryAdvanceStage(run, RecoveryStage.VerifyRisk));
        Assert.True(host.System.StateMachine.TryAdvanceStage(run, RecoveryStage.Ready));
        status = await (await client.GetAsync("/degradation/status")).JsonAsync();
        Assert.Equal("normal", status.Str("mode"));
        Assert.True(status.IsNull("stage"));
        Assert.Equal("recovery.complete", status.GetProperty("last_transition").Str("reason_code"));

        host.System.ReportFailure(ComponentId.MarketData, ReasonCode.MarketDataStale);
        await host.System.Bus.DrainAsync();
        status = await (await client.GetAsync("/degradation/status")).JsonAsync();
        Assert.Equal("safe_mode", status.Str("mode"));
        Assert.Equal("tripped", status.Str("level"));
        Assert.Equal("market_data.stale", status.Str("reason"));
        var last = status.GetProperty("last_transition");
        Assert.Equal("normal", last.Str("from_mode"));
        Assert.Equal("safe_mode", last.Str("to_mode"));
        Assert.Equal("market_data", last.Str("source"));
    }

    [Fact]
    public async Task Permissions_list_every_action_with_advice_from_one_snapshot()
    {
        await using var host = await DegradationTestHost.StartAsync();
        var client = host.ViewerClient();

        var normal = await (await client.GetAsync("/degradation/permissions")).JsonAsync();
        Assert.Equal("normal", normal.Str("mode"));
        var map = normal.GetProperty("permissions");
        Assert.Equal(["open", "send", "amend", "cancel", "reduce_only", "query"], map.EnumerateObject().Select(p => p.Name));
        Assert.All(map.EnumerateObject(), p => Assert.True(p.Value.GetBoolean()));

        host.System.ReportFailure(ComponentId.Broker, ReasonCode.BrokerDisconnect); // must-deliver: gate closed on return
        var disconnected = await (await client.GetAsync("/degradation/permissions")).JsonAsync();
        Assert.Equal("safe_mode_disconnected", disconnected.Str("mode"));
        var actions = disconnected.GetProperty("actions").EnumerateArray().ToDictionary(a => a.Str("action"));
        Assert.False(actions["open"].GetProperty("allowed").GetBoolean());
        Assert.False(actions["cancel"].GetProperty("allowed").GetBoolean());
        Assert.Contains("disconnected", actions["cancel"].Str("advice"));
        Assert.True(actions["query"].GetProperty("allowed").GetBoolean());
        Assert.Contains("cached", actions["query"].Str("advice"));
        Assert.False(disconnected.GetProperty("permissions").GetProperty("send").GetBoolean());
    }

    [Fact]
    public async Task Permissions_in_degraded_show_restricted_open_and_the_order_size_limit()
    {
        await using var host = await DegradationTestHost.StartAsync();
        host.System.ReportFailure(ComponentId.Db, ReasonCode.DbWriteFailBuffered);
        await host.System.Bus.DrainAsync();

        var permissions = await (await host.ViewerClient().GetAsync("/degradation/permissions")).JsonAsync();
        Assert.Equal("degraded", permissions.Str("mode"));
        var open = permissions.GetProperty("actions").EnumerateArray().Single(a => a.Str("action") == "open");
        Assert.True(open.GetProperty("allowed").GetBoolean());
        Assert.Contains("restricted", open.Str("advice"));
        Assert.Equal(50m, permissions.GetProperty("limits").GetProperty("max_order_quantity").GetDecimal());
    }

    [Fact]
    public async Task Status_and_permissions_show_every_trading_limit_of_the_current_mode()
    {
        await using var host = await DegradationTestHost.StartAsync();
        var client = host.ViewerClient();
        var normal = await (await client.GetAsync("/degradation/status")).JsonAsync();
        Assert.Equal(System.Text.Json.JsonValueKind.Null, normal.GetProperty("limits").ValueKind); // Normal has no limits by default

        host.System.ReportFailure(ComponentId.Db, ReasonCode.DbWriteFailBuffered);
        await host.System.Bus.DrainAsync();
        foreach (var path in new[] { "/degradation/status", "/degradation/permissions" })
        {
            var body = await (await client.GetAsync(path)).JsonAsync();
            Assert.Equal("degraded", body.Str("mode"));
            var limits = body.GetProperty("limits");
            Assert.Equal(50m, limits.GetProperty("max_order_quantity").GetDecimal());
            Assert.Equal(System.Text.Json.JsonValueKind.Null, limits.GetProperty("max_open_positions").ValueKind);
            Assert.Equal(1000m, limits.GetProperty("min_cash_reserve").GetDecimal());
            Assert.True(limits.GetProperty("prefer_closing").GetBoolean());
        }
    }

    [Fact]
    public async Task Components_show_levels_conditions_and_active_fallbacks()
    {
        await using var host = await DegradationTestHost.StartAsync();
        host.System.ReportFailure(ComponentId.Db, ReasonCode.DbWriteFailBuffered, "primary rejected the write");
        await host.System.Bus.DrainAsync();

        var body = await (await host.ViewerClient().GetAsync("/degradation/components")).JsonAsync();
        Assert.Equal("unstable", body.Str("level"));
        var components = body.GetProperty("components").EnumerateArray().ToList();
        Assert.Equal(["broker", "market_data", "risk"], components.Where(c => c.GetProperty("critical").GetBoolean()).Select(c => c.Str("id")));
        var db = components.Single(c => c.Str("id") == "db");
        Assert.Equal("unstable", db.Str("level"));
        Assert.Equal("write-buffer", db.Str("fallback"));
        Assert.True(db.GetProperty("fallback_active").GetBoolean());
        Assert.Equal("primary rejected the write", db.Str("last_details"));
        var condition = Assert.Single(db.GetProperty("conditions").EnumerateArray());
        Assert.Equal("db.write_fail_buffered", condition.Str("reason"));
        Assert.Equal("degraded", condition.Str("mode"));
        var broker = components.Single(c => c.Str("id") == "broker");
        Assert.Equal("healthy", broker.Str("level"));
        Assert.False(broker.GetProperty("fallback_active").GetBoolean());
    }

    [Fact]
    public async Task History_is_paged_newest_first()
    {
        await using var host = await DegradationTestHost.StartAsync();
        var client = host.ViewerClient();
        var all = host.System.StateMachine.GetHistory();
        Assert.True(all.Count >= 5, $"expected the bring-up to record several transitions, got {all.Count}");

        var first = await (await client.GetAsync("/degradation/history?offset=0&limit=2")).JsonAsync();
        Assert.Equal(all.Count, first.GetProperty("total").GetInt32());
        Assert.Equal(2, first.GetProperty("limit").GetInt32());
        var firstItems = first.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("sequence").GetInt64()).ToList();
        Assert.Equal([all[^1].Sequence, all[^2].Sequence], firstItems);

        var second = await (await client.GetAsync("/degradation/history?offset=2&limit=2")).JsonAsync();
        Assert.Equal([all[^3].Sequence, all[^4].Sequence], second.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("sequence").GetInt64()));

        var defaults = await (await client.GetAsync("/degradation/history")).JsonAsync();
        Assert.Equal(50, defaults.GetProperty("limit").GetInt32());
        Assert.Equal(all.Count, defaults.GetProperty("items").GetArrayLength());
        Assert.Equal("cold_start", defaults.GetProperty("items").EnumerateArray().Last().Str("reason_code"));
    }

    [Theory]
    [InlineData("limit=0", "limit")]
    [InlineData("limit=501", "limit")]
    [InlineData("limit=abc", "limit")]
    [InlineData("offset=-1", "offset")]
    [InlineData("offset=1.5", "offset")]
    public async Task History_rejects_bad_paging_naming_the_parameter(string query, string field)
    {
        await using var host = await DegradationTestHost.StartAsync(bringUpToNormal: false);
        using var response = await host.ViewerClient().GetAsync("/degradation/history?" + query);
        var message = await response.AssertValidationProblemAsync(field);
        Assert.Contains(field, message);
    }

    [Fact]
    public async Task Me_tells_who_is_calling_and_whether_they_may_write()
    {
        await using var host = await DegradationTestHost.StartAsync(e => e.RequireAuthorizationForReads = false, bringUpToNormal: false);

        var op = await (await host.OperatorClient().GetAsync("/degradation/me")).JsonAsync();
        Assert.True(op.GetProperty("authenticated").GetBoolean());
        Assert.Equal("alice", op.Str("operator_id"));
        Assert.True(op.GetProperty("can_write").GetBoolean());

        var viewer = await (await host.ViewerClient().GetAsync("/degradation/me")).JsonAsync();
        Assert.Equal("victor", viewer.Str("operator_id"));
        Assert.False(viewer.GetProperty("can_write").GetBoolean());

        var anonymous = await (await host.AnonymousClient().GetAsync("/degradation/me")).JsonAsync();
        Assert.False(anonymous.GetProperty("authenticated").GetBoolean());
        Assert.False(anonymous.GetProperty("can_write").GetBoolean());
    }

    [Fact]
    public async Task Dashboard_is_served_from_the_assembly_with_strict_headers()
    {
        await using var host = await DegradationTestHost.StartAsync(bringUpToNormal: false);
        using var noRedirect = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = host.BaseAddress };
        noRedirect.DefaultRequestHeaders.Add(TestAuthHandler.UserHeader, "victor");

        using var redirect = await noRedirect.GetAsync("/degradation");
        Assert.Equal(HttpStatusCode.Redirect, redirect.StatusCode);
        Assert.Equal("/degradation/", redirect.Headers.Location?.OriginalString);

        using var page = await noRedirect.GetAsync("/degradation/");
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Equal("text/html", page.Content.Headers.ContentType?.MediaType);
        var html = await page.Content.ReadAsStringAsync();
        Assert.Contains("id=\"mode-badge\"", html);
        Assert.DoesNotContain("http://", html.Replace("http://www.w3.org", "", StringComparison.Ordinal)); // no CDN
        Assert.DoesNotContain("https://", html);
        var csp = string.Join(" ", page.Headers.GetValues("Content-Security-Policy"));
        Assert.Contains("script-src 'self'", csp);
        Assert.Contains("frame-ancestors 'none'", csp);
        Assert.Equal("nosniff", page.Headers.GetValues("X-Content-Type-Options").Single());

        using var script = await noRedirect.GetAsync("/degradation/dashboard.js");
        Assert.Equal("text/javascript", script.Content.Headers.ContentType?.MediaType);
        Assert.Contains("EventSource", await script.Content.ReadAsStringAsync());
        using var style = await noRedirect.GetAsync("/degradation/dashboard.css");
        Assert.Equal("text/css", style.Content.Headers.ContentType?.MediaType);
        Assert.Contains("#ef4444", await style.Content.ReadAsStringAsync()); // Tailwind red-500 for safe_mode_disconnected

        using var conditional = new HttpRequestMessage(HttpMethod.Get, "/degradation/dashboard.js");
        conditional.Headers.IfNoneMatch.Add(script.Headers.ETag!);
        using var notModified = await noRedirect.SendAsync(conditional);
        Assert.Equal(HttpStatusCode.NotModified, notModified.StatusCode);
    }

    [Fact]
    public async Task Dashboard_can_be_turned_off()
    {
        await using var host = await DegradationTestHost.StartAsync(e => e.EnableDashboard = false, bringUpToNormal: false);
        using var response = await host.ViewerClient().GetAsync("/degradation/");
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await host.ViewerClient().GetAsync("/degradation/status")).StatusCode);
    }
}
