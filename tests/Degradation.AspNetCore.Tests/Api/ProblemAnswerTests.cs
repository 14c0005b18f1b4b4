using System.Net;
using Degradation.Tests.Infrastructure;

namespace Degradation.Tests.Api;

/// <summary>401, 403 and 409 are problem+json with titles that say what is wrong; every answer carries nosniff.</summary>
public sealed class ProblemAnswerTests
{
    [Fact]
    public async Task Anonymous_callers_get_a_401_problem_saying_to_sign_in()
    {
        await using var host = await DegradationTestHost.StartAsync(bringUpToNormal: false);
        foreach (var response in new[]
                 {
                     await host.AnonymousClient().GetAsync("/degradation/status"),
                     await host.AnonymousClient().PostRawAsync("/degradation/force", """{"mode":"halt","ttl_seconds":60,"reason":"r"}"""),
                 })
        {
            Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
            Assert.Equal("nosniff", response.Headers.GetValues("X-Content-Type-Options").Single());
            var body = await response.JsonAsync();
            Assert.Equal(401, body.GetProperty("status").GetInt32());
            Assert.Equal("Authentication required.", body.Str("title"));
            Assert.Contains("Sign in", body.Str("detail"));
        }
    }

    [Fact]
    public async Task A_user_without_the_operator_role_gets_a_403_problem_naming_the_role()
    {
        await using var host = await DegradationTestHost.StartAsync();
        using var response = await host.ViewerClient().PostRawAsync("/degradation/force", """{"mode":"halt","ttl_seconds":60,"reason":"r"}""");

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("nosniff", response.Headers.GetValues("X-Content-Type-Options").Single());
        var body = await response.JsonAsync();
        Assert.Equal("Not allowed.", body.Str("title"));
        Assert.Contains("operator role 'degradation-operator'", body.Str("detail"));
        Assert.Equal(SystemMode.Normal, host.System.Gate.Mode);
    }

    [Fact]
    public async Task A_host_named_policy_is_named_in_the_403()
    {
        await using var host = await DegradationTestHost.StartAsync(
            e => e.WritePolicy = "desk-leads",
            a => a.AddPolicy("desk-leads", p => p.RequireRole("lead")));
        using var response = await host.OperatorClient().PostRawAsync("/degradation/release", """{"target":"halt","reason":"r"}""");
        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Contains("write policy 'desk-leads'", (await response.JsonAsync()).Str("detail"));
    }

    [Fact]
    public async Task Conflicts_are_problems_that_name_modes_and_stages_by_their_wire_names()
    {
        await using var host = await DegradationTestHost.StartAsync();
        var client = host.OperatorClient();

        using var complete = await client.PostRawAsync("/degradation/recovery/complete", """{"reason":"r"}""");
        Assert.Equal(HttpStatusCode.Conflict, complete.StatusCode);
        Assert.Equal("application/problem+json", complete.Content.Headers.ContentType?.MediaType);
        var detail = (await complete.JsonAsync()).Str("detail");
        Assert.Contains("recovering/ready", detail);
        Assert.Contains("now normal", detail);
        Assert.DoesNotContain("Recovering", detail);
        Assert.DoesNotContain("Normal", detail);

        host.System.ReportFailure(ComponentId.Broker, ReasonCode.BrokerDisconnect);
        using var start = await client.PostRawAsync("/degradation/recovery/start", """{"reason":"r"}""");
        Assert.Equal(HttpStatusCode.Conflict, start.StatusCode);
        var startDetail = (await start.JsonAsync()).Str("detail");
        Assert.Contains("safe_mode_disconnected", startDetail);
        Assert.DoesNotContain("SafeModeDisconnected", startDetail);
    }

    [Fact]
    public async Task Every_answer_of_the_api_carries_nosniff()
    {
        await using var host = await DegradationTestHost.StartAsync(e => e.RequireAuthorizationForReads = false);
        var client = host.OperatorClient();
        var anonymous = host.AnonymousClient();
        var answers = new List<(string What, HttpResponseMessage Response)>
        {
            ("status", await client.GetAsync("/degradation/status")),
            ("open read", await anonymous.GetAsync("/degradation/permissions")),
            ("history 400", await client.GetAsync("/degradation/history?limit=0")),
            ("me", await client.GetAsync("/degradation/me")),
            ("page", await client.GetAsync("/degradation/")),
            ("events", await client.GetAsync("/degradation/events", HttpCompletionOption.ResponseHeadersRead)),
            ("force 200", await client.PostRawAsync("/degradation/force", """{"mode":"degraded","ttl_seconds":60,"reason":"r"}""")),
            ("force 400", await client.PostRawAsync("/degradation/force", """{"mode":"degraded"}""")),
            ("force 415", await client.PostRawAsync("/degradation/force", "x", "text/plain")),
            ("recovery 409", await client.PostRawAsync("/degradation/recovery/start", """{"reason":"r"}""")),
            ("force 401", await anonymous.PostRawAsync("/degradation/force", "{}")),
            ("force 403", await host.ViewerClient().PostRawAsync("/degradation/force", "{}")),
        };
        foreach (var (what, response) in answers)
        {
            Assert.True(response.Headers.TryGetValues("X-Content-Type-Options", out var values), $"{what} ({(int)response.StatusCode}) has no X-Content-Type-Options");
            Assert.Equal("nosniff", values.Single());
            response.Dispose();
        }
    }
}
