using Microsoft.Extensions.Time.Testing;

namespace Degradation.Tests.Alerts;

/// <summary>Alert channels, acknowledgement by an operator, and escalation of what stays unacknowledged past its deadline.</summary>
public class AlertAcknowledgementTests
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 30, 9, 0, 0, TimeSpan.Zero));

    private static AlertChannelOptions Channels(string? escalation = "pager") => new()
    {
        Routes =
        [
            new AlertChannelRoute { Channel = "pager", Audience = AlertAudiences.OnCall, MinimumSeverity = Severity.Critical },
            new AlertChannelRoute { Channel = "chat", MinimumSeverity = Severity.Warning },
            new AlertChannelRoute { Channel = "chat", Audience = AlertAudiences.Risk }, // a second rule for the same channel
        ],
        EscalationChannel = escalation,
    };

    private Alert Make(Severity severity, string audience, string title) =>
        new() { Severity = severity, Audience = audience, Title = title, Time = _time.GetUtcNow() };

    [Fact]
    public async Task Channels_take_what_their_rules_match_and_a_channel_without_rules_takes_everything()
    {
        var router = new AlertRouter(null, _time, null, Channels(), null);
        var (pager, chat, log) = (new RecordingSink(), new RecordingSink(), new RecordingSink());
        router.AddChannel("pager", pager);
        router.AddChannel("chat", chat);
        router.AddChannel("log", log);

        router.Publish(Make(Severity.Info, AlertAudiences.Operators, "info for ops"));
        router.Publish(Make(Severity.Warning, AlertAudiences.Operators, "warning for ops"));
        router.Publish(Make(Severity.Critical, AlertAudiences.OnCall, "critical for on-call"));
        router.Publish(Make(Severity.Warning, AlertAudiences.Risk, "warning for risk")); // matches both chat rules: delivered once
        await router.FlushAsync();

        Assert.Equal(["critical for on-call"], pager.Titles);
        Assert.Equal(["warning for ops", "critical for on-call", "warning for risk"], chat.Titles);
        Assert.Equal(["info for ops", "warning for ops", "critical for on-call", "warning for risk"], log.Titles);
        Assert.Equal([1L, 2, 3, 4], log.Alerts.Select(a => a.Id)); // numbered on publish
        Assert.Throws<ArgumentException>(() => router.AddChannel(AlertRouter.AllChannels, new RecordingSink()));
    }

    [Fact]
    public async Task An_acknowledged_alert_does_not_escalate_and_the_acknowledgement_is_audited()
    {
        var audit = new AuditTrail(_time);
        var router = new AlertRouter(null, _time, null, Channels(), audit);
        var pager = new RecordingSink();
        router.AddChannel("pager", pager);
        router.Publish(Make(Severity.Critical, AlertAudiences.Operators, "broker down"));
        var tracked = Assert.Single(router.GetAlerts());
        Assert.Equal((AlertAcknowledgementState.Pending, _time.GetUtcNow().AddMinutes(5)), (tracked.State, tracked.Deadline));
        Assert.Equal(1, router.UnacknowledgedCount);

        _time.Advance(TimeSpan.FromMinutes(2));
        Assert.Equal(AcknowledgeOutcome.Acknowledged, router.Acknowledge(tracked.Alert.Id, "erin", "looking at it"));
        Assert.Equal(AcknowledgeOutcome.AlreadyAcknowledged, router.Acknowledge(tracked.Alert.Id, "frank"));
        _time.Advance(TimeSpan.FromHours(1));
        await router.FlushAsync();

        Assert.Equal(0, router.EscalatedCount);
        Assert.Empty(pager.Alerts);
        Assert.Equal((0, 1L), (router.UnacknowledgedCount, router.AcknowledgedCount));
        var done = Assert.Single(router.GetAlerts());
        Assert.Equal((AlertAcknowledgementState.Acknowledged, "erin", "looking at it"), (done.State, done.AcknowledgedBy, done.Note));
        var entry = Assert.Single(audit.GetEntries());
        Assert.Equal((AuditEntryKind.OperatorAction, "alert.acknowledged", "erin"), (entry.Record.Kind, entry.Record.Action, entry.Record.OperatorId));
        Assert.Contains("within its deadline", entry.Record.Details, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_alert_unacknowledged_past_its_deadline_escalates_once_to_the_escalation_channel()
    {
        var audit = new AuditTrail(_time);
        var router = new AlertRouter(null, _time, null, Channels(), audit);
        var (pager, chat) = (new RecordingSink(), new RecordingSink());
        router.AddChannel("pager", pager);
        router.AddChannel("chat", chat);
        router.Publish(Make(Severity.Warning, AlertAudiences.Operators, "db slow"));
        await router.FlushAsync();
        var id = Assert.Single(chat.Alerts).Id;

        _time.Advance(TimeSpan.FromMinutes(15) - TimeSpan.FromTicks(1));
        await router.FlushAsync();
        Assert.Empty(pager.Alerts); // the deadline has not passed
        Assert.Equal(0, router.EscalatedCount);

        _time.Advance(TimeSpan.FromTicks(1));
        await router.FlushAsync();
        var escalation = Assert.Single(pager.Alerts); // the pager takes it though its rule wants on-call Criticals: sent to it by name
        Assert.Equal((Severity.Critical, id, "pager"), (escalation.Severity, escalation.EscalationOf, escalation.Channel));
        Assert.StartsWith("Unacknowledged: db slow", escalation.Title, StringComparison.Ordinal);
        Assert.Single(chat.Alerts); // only the escalation channel
        var tracked = Assert.Single(router.GetAlerts());
        Assert.Equal((AlertAcknowledgementState.Escalated, escalation.Id), (tracked.State, tracked.EscalationId));
        var audited = Assert.Single(audit.GetEntries());
        Assert.Equal(("alert.escalated", "pager"), (audited.Record.Action, audited.Record.To));

        _time.Advance(TimeSpan.FromHours(2));
        await router.FlushAsync();
        Assert.Single(pager.Alerts); // escalated once

        // Acknowledging the escalation acknowledges the alert it escalated.
        Assert.Equal(AcknowledgeOutcome.Acknowledged, router.Acknowledge(escalation.Id, "erin"));
        Assert.Equal(AlertAcknowledgementState.Acknowledged, Assert.Single(router.GetAlerts()).State);
        Assert.Contains("after its deadline", audit.GetEntries()[^1].Record.Details, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Without_an_escalation_channel_an_escalation_reaches_every_channel()
    {
        var router = new AlertRouter(null, _time, null, Channels(escalation: null), null);
        var (pager, chat) = (new RecordingSink(), new RecordingSink());
        router.AddChannel("pager", pager);
        router.AddChannel("chat", chat);
        router.Publish(Make(Severity.Critical, AlertAudiences.Operators, "risk down")); // the pager's rule does not take it
        _time.Advance(TimeSpan.FromMinutes(5));
        await router.FlushAsync();
        Assert.Equal(["Unacknowledged: risk down"], pager.Titles);
        Assert.Equal(["risk down", "Unacknowledged: risk down"], chat.Titles);
    }

    [Fact]
    public async Task An_escalation_channel_nobody_added_falls_back_to_ordinary_routing()
    {
        var router = new AlertRouter(null, _time, null, Channels(escalation: "sms"), null);
        var chat = new RecordingSink();
        router.AddChannel("chat", chat);
        router.Publish(Make(Severity.Critical, AlertAudiences.Operators, "risk down"));
        _time.Advance(TimeSpan.FromMinutes(5));
        await router.FlushAsync();
        Assert.Equal(["risk down", "Unacknowledged: risk down"], chat.Titles);
    }

    [Fact]
    public void Info_alerts_need_no_acknowledgement_and_unknown_ids_are_not_found()
    {
        var router = new AlertRouter(null, _time, null, Channels(), null);
        router.Publish(Make(Severity.Info, AlertAudiences.Operators, "fyi"));
        Assert.Empty(router.GetAlerts());
        Assert.Equal(AcknowledgeOutcome.NotFound, router.Acknowledge(1, "erin"));
        Assert.Equal(AcknowledgeOutcome.NotFound, router.Acknowledge(999, "erin"));
        Assert.Throws<ArgumentException>(() => router.Acknowledge(1, " "));
    }

    [Fact]
    public void A_router_without_channel_options_tracks_nothing()
    {
        var router = new AlertRouter(timeProvider: _time);
        router.Publish(Make(Severity.Critical, AlertAudiences.Operators, "x"));
        Assert.False(router.TracksAcknowledgements);
        Assert.Empty(router.GetAlerts());
        Assert.Throws<InvalidOperationException>(() => router.Acknowledge(1, "erin"));
    }

    [Fact]
    public async Task The_deadline_follows_the_severitys_configured_sla()
    {
        var options = Channels();
        options.AcknowledgementSla[Severity.Critical] = TimeSpan.FromSeconds(30);
        options.AcknowledgementSla[Severity.Info] = TimeSpan.FromHours(1);
        var router = new AlertRouter(null, _time, null, options, null);
        var pager = new RecordingSink();
        router.AddChannel("pager", pager);
        router.Publish(Make(Severity.Info, AlertAudiences.Operators, "slow one"));
        router.Publish(Make(Severity.Critical, AlertAudiences.Operators, "fast one"));
        Assert.Equal(["fast one", "slow one"], router.GetAlerts().Select(a => a.Alert.Title)); // earliest deadline first
        _time.Advance(TimeSpan.FromSeconds(30));
        await router.FlushAsync();
        Assert.Equal(["Unacknowledged: fast one"], pager.Titles);
        _time.Advance(TimeSpan.FromHours(1));
        await router.FlushAsync();
        Assert.Equal(["Unacknowledged: fast one", "Unacknowledged: slow one"], pager.Titles);
        Assert.Equal(2, router.EscalatedCount);
    }

    [Fact]
    public void Channel_options_are_validated_naming_the_bad_value()
    {
        var options = new AlertChannelOptions
        {
            Routes = [new AlertChannelRoute { Channel = " " }, new AlertChannelRoute { Channel = "x", MinimumSeverity = (Severity)9 }],
            EscalationChannel = "",
            HistorySize = 0,
        };
        options.AcknowledgementSla[Severity.Warning] = TimeSpan.FromSeconds(-1);
        options.AcknowledgementSla[Severity.Critical] = TimeSpan.FromDays(8);
        Assert.Equal(
            [
                "AlertChannelOptions:HistorySize must be >= 1 (was 0).",
                "AlertChannelOptions:Routes:0:Channel must not be empty (was ' ').",
                "AlertChannelOptions:Routes:1:MinimumSeverity has unknown severity '9'; valid severities: Info, Warning, Critical.",
                "AlertChannelOptions:AcknowledgementSla:Critical must be at most 7.00:00:00 (was 8.00:00:00).",
                "AlertChannelOptions:AcknowledgementSla:Warning must be > 0 (was -00:00:01).",
                "AlertChannelOptions:EscalationChannel must be null (every channel) or not blank (was '').",
            ],
            options.Validate());
        Assert.Throws<DegradationOptionsException>(() => new AlertRouter(null, _time, null, options, null));
        var degradation = new DegradationOptions();
        degradation.AlertChannels.HistorySize = -3;
        Assert.Contains(degradation.Validate(), e => e.StartsWith("Degradation:AlertChannels:HistorySize", StringComparison.Ordinal));
    }
}
