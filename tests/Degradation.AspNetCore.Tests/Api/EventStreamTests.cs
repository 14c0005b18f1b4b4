using System.Net;
using Degradation.Tests.Infrastructure;

namespace Degradation.Tests.Api;

public sealed class EventStreamTests
{
    [Fact]
    public async Task Events_stream_transitions_live_as_server_sent_events()
    {
        await using var host = await DegradationTestHost.StartAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60)); // hang guard only
        using var response = await host.ViewerClient().GetAsync("/degradation/events", HttpCompletionOption.ResponseHeadersRead, timeout.Token);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/event-stream", response.Content.Headers.ContentType?.MediaType);
        using var events = new SseReader(await response.Content.ReadAsStreamAsync(timeout.Token));

        host.System.ReportFailure(ComponentId.Broker, ReasonCode.BrokerDisconnect);

        var disconnected = await events.WaitForAsync("transition", e => e.Json.Str("to_mode") == "safe_mode_disconnected", timeout.Token);
        var json = disconnected.Json;
        Assert.Equal("normal", json.Str("from_mode"));
        Assert.Equal("broker.disconnect", json.Str("reason_code"));
        Assert.Equal("broker", json.Str("source"));
        Assert.Equal(json.GetProperty("sequence").GetInt64().ToString(System.Globalization.CultureInfo.InvariantCulture), disconnected.Id);

        await host.OperatorClient().PostRawAsync("/degradation/halt", """{"reason":"stop everything"}""");
        var forced = await events.WaitForAsync("transition", e => e.Json.Str("kind") == "operator_halt", timeout.Token);
        Assert.Equal("halt", forced.Json.Str("to_mode"));
        Assert.Equal("alice", forced.Json.Str("operator_id"));
        Assert.True(long.Parse(forced.Id!, System.Globalization.CultureInfo.InvariantCulture) > long.Parse(disconnected.Id!, System.Globalization.CultureInfo.InvariantCulture));
    }

    [Fact]
    public async Task A_reconnecting_client_gets_what_it_missed_after_its_last_event_id()
    {
        await using var host = await DegradationTestHost.StartAsync();
        var lastSeen = host.System.StateMachine.TransitionCount;
        host.System.ReportFailure(ComponentId.Broker, ReasonCode.BrokerDisconnect);
        await host.OperatorClient().PostRawAsync("/degradation/force", """{"mode":"degraded","ttl_seconds":60,"reason":"r","acknowledge":["broker.disconnect"]}""");
        var missed = host.System.StateMachine.GetHistory().Where(t => t.Sequence > lastSeen).Select(t => t.Sequence).ToList();
        Assert.Equal(2, missed.Count);

        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60)); // hang guard only
        using var request = new HttpRequestMessage(HttpMethod.Get, "/degradation/events");
        request.Headers.Add("Last-Event-ID", lastSeen.ToString(System.Globalization.CultureInfo.InvariantCulture));
        using var response = await host.ViewerClient().SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timeout.Token);
        using var events = new SseReader(await response.Content.ReadAsStreamAsync(timeout.Token));

        var first = await events.NextAsync(timeout.Token);
        var second = await events.NextAsync(timeout.Token);
        Assert.Equal(missed, [long.Parse(first.Id!, System.Globalization.CultureInfo.InvariantCulture), long.Parse(second.Id!, System.Globalization.CultureInfo.InvariantCulture)]);
        Assert.Equal("safe_mode_disconnected", first.Json.Str("to_mode"));
        Assert.Equal("degraded", second.Json.Str("to_mode"));
    }

    [Fact]
    public async Task A_client_that_falls_too_far_behind_is_told_to_resync()
    {
        await using var host = await DegradationTestHost.StartAsync(e => e.EventStreamBufferSize = 2);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60)); // hang guard only
        // Flood far more transitions than the two-slot buffer holds, faster than the writer can flush them to the socket.
        using var response = await host.ViewerClient().GetAsync("/degradation/events", HttpCompletionOption.ResponseHeadersRead, timeout.Token);
        using var events = new SseReader(await response.Content.ReadAsStreamAsync(timeout.Token));
        var received = new List<SseReader.Event>();
        var flood = Task.Run(() =>
        {
            for (var i = 0; i < 1000; i++)
                host.System.StateMachine.ForceMode(i % 2 == 0 ? SystemMode.SafeMode : SystemMode.Degraded, TimeSpan.FromSeconds(60), "alice", "flood " + i);
        });
        await flood;
        SseReader.Event next;
        do
        {
            next = await events.NextAsync(timeout.Token);
            received.Add(next);
        } while (next.Name == "transition");
        Assert.Equal("resync", next.Name);
        Assert.True(received.Count < 1001, $"expected the stream to give up before delivering everything, got {received.Count}");
    }
}
