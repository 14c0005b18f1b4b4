using System.Net;
using Degradation.Alerts;
using Degradation.Audit;
using Degradation.Events;
using Degradation.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace Degradation.Tests.Api;

/// <summary>GET alerts (read) and POST alerts/{id}/acknowledge (write, audited).</summary>
public sealed class AlertEndpointTests
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 30, 9, 0, 0, TimeSpan.Zero));
    private readonly AuditTrail _audit;
    private readonly AlertRouter _router;

    public AlertEndpointTests()
    {
        _audit = new AuditTrail(_time);
        _router = new AlertRouter(null, _time, null, new AlertChannelOptions(), _audit);
    }

    private Task<DegradationTestHost> StartAsync() => DegradationTestHost.StartAsync(services: s => s.AddSingleton(_router));

    private long Raise(Severity severity, string title)
    {
        _router.Publish(severity, AlertAudiences.Operators, title, "details", ComponentId.Broker, ReasonCode.BrokerDisconnect);
        return _router.GetAlerts().Single(a => a.Alert.Title == title).Alert.Id;
    }

    [Fact]
    public async Task Viewers_see_the_alerts_waiting_with_deadlines_and_escalation()
    {
        await using var host = await StartAsync();
        var critical = Raise(Severity.Critical, "broker down");
        Raise(Severity.Warning, "db slow");
        _router.Publish(Severity.Info, AlertAudiences.Operators, "fyi"); // needs no acknowledgement: not listed
        _time.Advance(TimeSpan.FromMinutes(5)); // the critical one passes its deadline

        var body = await (await host.ViewerClient().GetAsync("/degradation/alerts")).JsonAsync();
        Assert.True(body.GetProperty("tracks_acknowledgements").GetBoolean());
        Assert.Equal(2, body.GetProperty("unacknowledged").GetInt32());
        var alerts = body.GetProperty("alerts").EnumerateArray().ToList();
        Assert.Equal(["broker down", "db slow"], alerts.Select(a => a.Str("title")));
        var first = alerts[0];
        Assert.Equal((critical, "critical", "escalated", "broker", "broker.disconnect"),
            (first.GetProperty("id").GetInt64(), first.Str("severity"), first.Str("state"), first.Str("component"), first.Str("reason")));
        Assert.Equal(new DateTimeOffset(2026, 11, 30, 9, 5, 0, TimeSpan.Zero), first.GetProperty("deadline").GetDateTimeOffset());
        Assert.Equal("pending", alerts[1].Str("state"));
    }

    [Fact]
    public async Task An_operator_acknowledges_an_alert_once_and_the_acknowledgement_is_audited()
    {
        await using var host = await StartAsync();
        var id = Raise(Severity.Critical, "broker down");

        var response = await host.OperatorClient().PostRawAsync($"/degradation/alerts/{id}/acknowledge", """{"note":"on it"}""");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await response.JsonAsync();
        Assert.Equal("acknowledged", body.Str("outcome"));
        Assert.Equal(("acknowledged", "alice", "on it"), (body.GetProperty("alert").Str("state"), body.GetProperty("alert").Str("acknowledged_by"), body.GetProperty("alert").Str("note")));
        Assert.Equal(0, _router.UnacknowledgedCount);
        var entry = Assert.Single(_audit.GetEntries());
        Assert.Equal(("alert.acknowledged", "alice", "on it"), (entry.Record.Action, entry.Record.OperatorId, entry.Record.Reason));

        var again = await (await host.OperatorClient().PostRawAsync($"/degradation/alerts/{id}/acknowledge", "{}")).JsonAsync();
        Assert.Equal("already_acknowledged", again.Str("outcome"));
        Assert.Single(_audit.GetEntries());
        _time.Advance(TimeSpan.FromHours(1));
        Assert.Equal(0, _router.EscalatedCount);
    }

    [Fact]
    public async Task Acknowledging_needs_the_write_policy_and_a_valid_id()
    {
        await using var host = await StartAsync();
        var id = Raise(Severity.Critical, "broker down");
        var path = $"/degradation/alerts/{id}/acknowledge";

        Assert.Equal(HttpStatusCode.Unauthorized, (await host.AnonymousClient().PostRawAsync(path, "{}")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await host.ViewerClient().PostRawAsync(path, "{}")).StatusCode);
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, (await host.OperatorClient().PostRawAsync(path, "note=x", "application/x-www-form-urlencoded")).StatusCode);
        Assert.Contains("'abc'", await (await host.OperatorClient().PostRawAsync("/degradation/alerts/abc/acknowledge", "{}")).AssertValidationProblemAsync("id"));
        Assert.Contains("at most", await (await host.OperatorClient().PostRawAsync(path, $$"""{"note":"{{new string('x', 2000)}}"}""")).AssertValidationProblemAsync("note"));
        var missing = await host.OperatorClient().PostRawAsync("/degradation/alerts/999/acknowledge", "{}");
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        Assert.Equal("application/problem+json", missing.Content.Headers.ContentType?.MediaType);
        Assert.Equal(1, _router.UnacknowledgedCount); // nothing above acknowledged it
        Assert.Empty(_audit.GetEntries());
    }

    [Fact]
    public async Task Without_an_acknowledging_router_the_list_is_empty_and_acknowledging_is_not_found()
    {
        await using var host = await DegradationTestHost.StartAsync();
        var body = await (await host.ViewerClient().GetAsync("/degradation/alerts")).JsonAsync();
        Assert.False(body.GetProperty("tracks_acknowledgements").GetBoolean());
        Assert.Empty(body.GetProperty("alerts").EnumerateArray());
        Assert.Equal(HttpStatusCode.NotFound, (await host.OperatorClient().PostRawAsync("/degradation/alerts/1/acknowledge", "{}")).StatusCode);
    }
}
