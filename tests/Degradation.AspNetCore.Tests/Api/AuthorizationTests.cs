using System.Net;
using System.Security.Claims;
using Degradation.Tests.Infrastructure;

namespace Degradation.Tests.Api;

public sealed class AuthorizationTests
{
    public static TheoryData<string, string> Writes => new()
    {
        { "/degradation/halt", """{"reason":"r"}""" },
        { "/degradation/release-halt", """{"reason":"r"}""" },
        { "/degradation/force", """{"mode":"halt","ttl_seconds":60,"reason":"r"}""" },
        { "/degradation/release", """{"target":"halt","reason":"r"}""" },
        { "/degradation/recovery/start", """{"reason":"r"}""" },
        { "/degradation/recovery/complete", """{"reason":"r"}""" },
        { "/degradation/alerts/1/acknowledge", """{"note":"n"}""" },
    };

    public static TheoryData<string> Reads => new()
    {
        "/degradation/status", "/degradation/permissions", "/degradation/components", "/degradation/history",
        "/degradation/events", "/degradation/me", "/degradation/", "/degradation/dashboard.js", "/degradation/dashboard.css",
        "/degradation/health-report", "/degradation/health-report.js", "/degradation/health-report.css", "/degradation/alerts",
    };

    [Theory]
    [MemberData(nameof(Writes))]
    public async Task Every_write_answers_401_to_an_anonymous_caller_and_changes_nothing(string path, string json)
    {
        // Reads open, so only the write policy stands between an anonymous caller and the state machine.
        await using var host = await DegradationTestHost.StartAsync(e => e.RequireAuthorizationForReads = false);
        var before = host.System.StateMachine.TransitionCount;

        using var response = await host.AnonymousClient().PostRawAsync(path, json);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal(before, host.System.StateMachine.TransitionCount);
        Assert.Equal(SystemMode.Normal, host.System.Gate.Mode);
    }

    [Theory]
    [MemberData(nameof(Writes))]
    public async Task Every_write_answers_403_to_an_authenticated_user_without_the_operator_role(string path, string json)
    {
        await using var host = await DegradationTestHost.StartAsync();
        var before = host.System.StateMachine.TransitionCount;

        using var response = await host.Client("victor", "trader", "viewer").PostRawAsync(path, json);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal(before, host.System.StateMachine.TransitionCount);
    }

    [Fact]
    public async Task The_operator_role_is_configurable()
    {
        await using var host = await DegradationTestHost.StartAsync(e => e.OperatorRole = "desk-lead");
        const string force = """{"mode":"degraded","ttl_seconds":60,"reason":"r"}""";

        Assert.Equal(HttpStatusCode.Forbidden, (await host.OperatorClient().PostRawAsync("/degradation/force", force)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await host.Client("dana", "desk-lead").PostRawAsync("/degradation/force", force)).StatusCode);
        Assert.Equal("dana", host.System.StateMachine.Override!.OperatorId);
    }

    [Fact]
    public async Task A_host_named_write_policy_replaces_the_default_one()
    {
        await using var host = await DegradationTestHost.StartAsync(
            e => e.WritePolicy = "only-carol",
            a => a.AddPolicy("only-carol", p => p.RequireAuthenticatedUser().RequireClaim(ClaimTypes.Name, "carol")));
        const string force = """{"mode":"degraded","ttl_seconds":60,"reason":"r"}""";

        // The default operator role no longer suffices; the host's policy decides.
        Assert.Equal(HttpStatusCode.Forbidden, (await host.OperatorClient().PostRawAsync("/degradation/force", force)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await host.Client("carol").PostRawAsync("/degradation/force", force)).StatusCode);
        var me = await (await host.Client("carol").GetAsync("/degradation/me")).JsonAsync();
        Assert.True(me.GetProperty("can_write").GetBoolean());
    }

    [Fact]
    public async Task The_operator_id_can_come_from_a_configured_claim_and_a_principal_without_it_cannot_write()
    {
        await using var host = await DegradationTestHost.StartAsync(e => e.OperatorIdClaimType = "employee_id");
        using var response = await host.OperatorClient().PostRawAsync("/degradation/force", """{"mode":"degraded","ttl_seconds":60,"reason":"r"}""");

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Contains("employee_id", (await response.JsonAsync()).Str("detail"));
        Assert.False(host.System.StateMachine.IsOverrideActive);
    }

    [Theory]
    [MemberData(nameof(Reads))]
    public async Task Reads_closed_by_default_answer_401_to_anonymous_and_200_to_any_authenticated_user(string path)
    {
        await using var host = await DegradationTestHost.StartAsync(bringUpToNormal: false);

        using var anonymous = await host.AnonymousClient().GetAsync(path, HttpCompletionOption.ResponseHeadersRead);
        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);

        using var viewer = await host.ViewerClient().GetAsync(path, HttpCompletionOption.ResponseHeadersRead);
        Assert.Equal(HttpStatusCode.OK, viewer.StatusCode);
    }

    [Theory]
    [MemberData(nameof(Reads))]
    public async Task Reads_opened_by_the_host_answer_anonymous_callers_even_under_a_fallback_policy(string path)
    {
        await using var host = await DegradationTestHost.StartAsync(
            e => e.RequireAuthorizationForReads = false,
            a => a.FallbackPolicy = new Microsoft.AspNetCore.Authorization.AuthorizationPolicyBuilder().RequireAuthenticatedUser().Build(),
            bringUpToNormal: false);

        using var anonymous = await host.AnonymousClient().GetAsync(path, HttpCompletionOption.ResponseHeadersRead);
        Assert.Equal(HttpStatusCode.OK, anonymous.StatusCode);
    }

    [Fact]
    public async Task A_host_named_read_policy_guards_reads()
    {
        await using var host = await DegradationTestHost.StartAsync(
            e => e.ReadPolicy = "risk-desk",
            a => a.AddPolicy("risk-desk", p => p.RequireRole("risk")),
            bringUpToNormal: false);

        Assert.Equal(HttpStatusCode.Forbidden, (await host.ViewerClient().GetAsync("/degradation/status")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await host.Client("rita", "risk").GetAsync("/degradation/status")).StatusCode);
    }
}
