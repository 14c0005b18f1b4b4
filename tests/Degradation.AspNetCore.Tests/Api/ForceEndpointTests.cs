using System.Net;
using Degradation.Tests.Infrastructure;

namespace Degradation.Tests.Api;

public sealed class ForceEndpointTests
{
    [Fact]
    public async Task Force_sets_the_mode_with_ttl_and_records_the_operator_from_the_principal_not_the_body()
    {
        await using var host = await DegradationTestHost.StartAsync();
        var before = host.System.StateMachine.TransitionCount;

        using var response = await host.OperatorClient().PostRawAsync("/degradation/force",
            """{"mode":"safe_mode","ttl_seconds":300,"reason":"exchange maintenance","operator_id":"mallory","operatorId":"mallory"}""");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await response.JsonAsync();
        Assert.Equal("safe_mode", body.Str("mode"));
        Assert.True(body.GetProperty("is_override").GetBoolean());
        var expiresAt = body.GetProperty("expires_at").GetDateTimeOffset();
        Assert.InRange((expiresAt - DateTimeOffset.UtcNow).TotalSeconds, 290, 301);
        var transition = body.GetProperty("transition");
        Assert.Equal("override_started", transition.Str("kind"));
        Assert.Equal("alice", transition.Str("operator_id"));
        Assert.Equal("exchange maintenance", transition.Str("details"));
        Assert.Equal(300, transition.GetProperty("override_ttl_seconds").GetDouble());

        Assert.Equal(SystemMode.SafeMode, host.System.Gate.Mode);
        var active = host.System.StateMachine.Override!;
        Assert.Equal("alice", active.OperatorId);
        Assert.Equal(TimeSpan.FromSeconds(300), active.Ttl);

        var status = await (await host.ViewerClient().GetAsync("/degradation/status")).JsonAsync();
        Assert.True(status.GetProperty("is_override").GetBoolean());
        Assert.Equal(expiresAt, status.GetProperty("override_expires_at").GetDateTimeOffset());
        var overrideInfo = status.GetProperty("override");
        Assert.Equal("alice", overrideInfo.Str("operator_id"));
        Assert.Equal("exchange maintenance", overrideInfo.Str("reason"));
        Assert.InRange(overrideInfo.GetProperty("remaining_seconds").GetDouble(), 280, 300);

        await host.System.StateMachine.FlushObserversAsync();
        var audited = Assert.Single(host.Audit.Entries, t => t.Sequence > before);
        Assert.Equal(TransitionKind.OverrideStarted, audited.Kind);
        Assert.Equal("alice", audited.OperatorId);
        Assert.Equal("exchange maintenance", audited.Details);
        Assert.Equal(SystemMode.SafeMode, audited.To);
        Assert.DoesNotContain(host.Audit.Entries, t => t.OperatorId == "mallory");
    }

    [Fact]
    public async Task Force_accepts_every_mode_by_its_wire_name()
    {
        // Halt last: a force never leaves Halt.
        await using var host = await DegradationTestHost.StartAsync();
        var client = host.OperatorClient();
        foreach (var (wire, mode) in new[] { ("degraded", SystemMode.Degraded), ("safe_mode_disconnected", SystemMode.SafeModeDisconnected), ("recovering", SystemMode.Recovering), ("normal", SystemMode.Normal), ("halt", SystemMode.Halt) })
        {
            using var response = await client.PostRawAsync("/degradation/force", $$"""{"mode":"{{wire}}","ttl_seconds":60,"reason":"drill {{wire}}"}""");
            Assert.True(response.StatusCode == HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
            Assert.Equal(mode, host.System.Gate.Mode);
        }
    }

    [Theory]
    [InlineData("SafeMode")]
    [InlineData("SAFE_MODE")]
    [InlineData("safe_mode")]
    public async Task Force_accepts_a_mode_in_either_spelling_and_answers_with_the_wire_name(string spelling)
    {
        await using var host = await DegradationTestHost.StartAsync();
        using var response = await host.OperatorClient().PostRawAsync("/degradation/force",
            $$"""{"mode":"{{spelling}}","ttl_seconds":60,"reason":"drill"}""");
        Assert.True(response.StatusCode == HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        Assert.Equal("safe_mode", (await response.JsonAsync()).Str("mode"));
        Assert.Equal(SystemMode.SafeMode, host.System.Gate.Mode);
    }

    [Theory]
    [InlineData("""{"mode":"panic","ttl_seconds":60,"reason":"r"}""", "mode", "Unknown mode 'panic'")]
    [InlineData("""{"mode":"safe-mode","ttl_seconds":60,"reason":"r"}""", "mode", "Unknown mode")]
    [InlineData("""{"mode":"3","ttl_seconds":60,"reason":"r"}""", "mode", "Unknown mode")]
    [InlineData("""{"ttl_seconds":60,"reason":"r"}""", "mode", "required")]
    [InlineData("""{"mode":"normal","ttl_seconds":0,"reason":"r"}""", "ttl_seconds", "between 1 s and 3600 s")]
    [InlineData("""{"mode":"normal","ttl_seconds":0.5,"reason":"r"}""", "ttl_seconds", "between 1 s and 3600 s")]
    [InlineData("""{"mode":"normal","ttl_seconds":-5,"reason":"r"}""", "ttl_seconds", "between 1 s and 3600 s")]
    [InlineData("""{"mode":"normal","ttl_seconds":3601,"reason":"r"}""", "ttl_seconds", "between 1 s and 3600 s")]
    [InlineData("""{"mode":"normal","ttl_seconds":1e300,"reason":"r"}""", "ttl_seconds", "between 1 s and 3600 s")]
    [InlineData("""{"mode":"normal","reason":"r"}""", "ttl_seconds", "required")]
    [InlineData("""{"mode":"normal","ttl_seconds":"300","reason":"r"}""", "ttl_seconds", "wrong JSON type")]
    [InlineData("""{"mode":"normal","ttl_seconds":60,"reason":""}""", "reason", "required")]
    [InlineData("""{"mode":"normal","ttl_seconds":60,"reason":"   "}""", "reason", "required")]
    [InlineData("""{"mode":"normal","ttl_seconds":60}""", "reason", "required")]
    [InlineData("""{"mode":"normal","ttl_seconds":60,"reason":42}""", "reason", "wrong JSON type")]
    [InlineData("""{"mode":"normal",""", "body", "not a valid JSON object")]
    [InlineData("""[1,2]""", "body", "not a valid JSON object")]
    [InlineData("""null""", "body", "required")]
    [InlineData("", "body", "required")]
    public async Task Force_rejects_invalid_input_with_a_problem_naming_the_field(string json, string field, string expected)
    {
        await using var host = await DegradationTestHost.StartAsync();
        var before = host.System.StateMachine.TransitionCount;

        using var response = await host.OperatorClient().PostRawAsync("/degradation/force", json);

        var message = await response.AssertValidationProblemAsync(field);
        Assert.Contains(expected, message);
        Assert.Equal(before, host.System.StateMachine.TransitionCount);
        Assert.False(host.System.StateMachine.IsOverrideActive);
    }

    [Fact]
    public async Task Force_reports_every_invalid_field_at_once()
    {
        await using var host = await DegradationTestHost.StartAsync();
        using var response = await host.OperatorClient().PostRawAsync("/degradation/force", """{"mode":"panic","reason":""}""");
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var body = await response.JsonAsync();
        Assert.Equal(["mode", "ttl_seconds", "reason"], body.GetProperty("errors").EnumerateObject().Select(p => p.Name));
    }

    [Fact]
    public async Task Force_honours_the_configured_ttl_bounds_of_the_system()
    {
        var options = DegradationTestHost.FastOptions();
        options.Operator.MinOverrideTtl = TimeSpan.FromSeconds(30);
        options.Operator.MaxOverrideTtl = TimeSpan.FromSeconds(120);
        await using var host = await DegradationTestHost.StartAsync(systemOptions: options);
        var client = host.OperatorClient();

        var tooShort = await (await client.PostRawAsync("/degradation/force", """{"mode":"halt","ttl_seconds":10,"reason":"r"}""")).AssertValidationProblemAsync("ttl_seconds");
        Assert.Contains("between 30 s and 120 s (was 10 s)", tooShort);
        await (await client.PostRawAsync("/degradation/force", """{"mode":"halt","ttl_seconds":121,"reason":"r"}""")).AssertValidationProblemAsync("ttl_seconds");
        Assert.Equal(HttpStatusCode.OK, (await client.PostRawAsync("/degradation/force", """{"mode":"halt","ttl_seconds":120,"reason":"r"}""")).StatusCode);
    }

    [Fact]
    public async Task Force_rejects_an_oversized_body_and_an_overlong_reason()
    {
        await using var host = await DegradationTestHost.StartAsync(e => { e.MaxBodyBytes = 256; e.MaxReasonLength = 20; });
        var client = host.OperatorClient();

        var padded = $$"""{"mode":"normal","ttl_seconds":60,"reason":"r","pad":"{{new string('x', 400)}}"}""";
        var body = await (await client.PostRawAsync("/degradation/force", padded)).AssertValidationProblemAsync("body");
        Assert.Contains("at most 256", body);

        // Without a Content-Length (chunked), the limit still holds.
        using var chunked = new HttpRequestMessage(HttpMethod.Post, "/degradation/force")
        {
            Content = new StreamContent(new MemoryStream(System.Text.Encoding.UTF8.GetBytes(padded))),
        };
        chunked.Content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");
        chunked.Headers.TransferEncodingChunked = true;
        Assert.Contains("exceeds 256", await (await client.SendAsync(chunked)).AssertValidationProblemAsync("body"));

        var reason = await (await client.PostRawAsync("/degradation/force", """{"mode":"normal","ttl_seconds":60,"reason":"this reason is far too long"}""")).AssertValidationProblemAsync("reason");
        Assert.Contains("at most 20", reason);
        Assert.False(host.System.StateMachine.IsOverrideActive);
    }

    [Fact]
    public async Task Force_requires_a_json_content_type()
    {
        await using var host = await DegradationTestHost.StartAsync();
        using var response = await host.OperatorClient().PostRawAsync("/degradation/force", "mode=halt&ttl_seconds=60&reason=r", "application/x-www-form-urlencoded");
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.False(host.System.StateMachine.IsOverrideActive);
    }
}
