using System.Globalization;
using System.Text.Json;
using System.Threading.Channels;
using Degradation.AspNetCore.Contracts;
using Degradation.State;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Degradation.AspNetCore.Endpoints;

/// <summary>
/// GET events: transitions as Server-Sent Events (<c>id:</c> sequence, <c>event: transition</c>, <c>data:</c> a
/// <see cref="TransitionResponse"/>). A reconnecting client's <c>Last-Event-ID</c> replays what it missed from the
/// retained history. A client too slow to keep up gets <c>event: resync</c> and the stream ends, so its
/// EventSource reconnects and replays instead of the server buffering without bound.
/// </summary>
internal sealed class EventStreamEndpoint(DegradationEndpointOptions options)
{
    public async Task StreamAsync(HttpContext context)
    {
        var system = SystemAccessor.Get(context);
        var time = context.RequestServices.GetService<TimeProvider>() ?? TimeProvider.System;
        var stopping = context.RequestServices.GetService<IHostApplicationLifetime>()?.ApplicationStopping ?? CancellationToken.None;
        using var cancel = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, stopping);
        var token = cancel.Token;

        var session = new Session(options.EventStreamBufferSize);
        // Subscribe before anything is read, so no transition falls between the replay and the live feed.
        using var subscription = system.StateMachine.SubscribeTransitions(session.Offer);
        var keepAlive = TimeSpan.FromSeconds(options.EventStreamKeepAliveSeconds);
        await using var keepAliveTimer = time.CreateTimer(static s => ((Session)s!).OfferKeepAlive(), session, keepAlive, keepAlive);

        var response = context.Response;
        response.StatusCode = StatusCodes.Status200OK;
        response.ContentType = "text/event-stream";
        response.Headers.CacheControl = "no-cache, no-store";
        response.Headers["X-Accel-Buffering"] = "no";
        context.Features.Get<IHttpResponseBodyFeature>()?.DisableBuffering();

        try
        {
            await WriteAsync(response, "retry: 2000\n: connected\n\n", token).ConfigureAwait(false);
            var lastSent = LastEventId(context.Request);
            if (lastSent is { } since)
            {
                foreach (var transition in system.StateMachine.GetHistory())
                {
                    if (transition.Sequence <= since) continue;
                    await WriteTransitionAsync(response, transition, token).ConfigureAwait(false);
                    lastSent = transition.Sequence;
                }
            }
            await foreach (var item in session.Reader.ReadAllAsync(token).ConfigureAwait(false))
            {
                if (item is null)
                {
                    await WriteAsync(response, ": keep-alive\n\n", token).ConfigureAwait(false);
                }
                else if (lastSent is not { } sent || item.Sequence > sent)
                {
                    await WriteTransitionAsync(response, item, token).ConfigureAwait(false);
                    lastSent = item.Sequence;
                }
            }
            if (session.Overflowed) await WriteAsync(response, "event: resync\ndata: {}\n\n", token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (token.IsCancellationRequested)
        {
            // The client went away or the host is stopping: the stream simply ends.
        }
        catch (IOException) when (context.RequestAborted.IsCancellationRequested)
        {
        }
    }

    private static long? LastEventId(HttpRequest request)
    {
        var raw = request.Headers["Last-Event-ID"].ToString();
        if (string.IsNullOrEmpty(raw)) raw = request.Query["last_event_id"].ToString();
        return long.TryParse(raw, NumberStyles.None, CultureInfo.InvariantCulture, out var id) ? id : null;
    }

    private static Task WriteTransitionAsync(HttpResponse response, ModeTransition transition, CancellationToken token)
    {
        var json = JsonSerializer.Serialize(ContractMapper.ToResponse(transition), DegradationJsonContext.Default.TransitionResponse);
        return WriteAsync(response, $"id: {transition.Sequence.ToString(CultureInfo.InvariantCulture)}\nevent: transition\ndata: {json}\n\n", token);
    }

    private static async Task WriteAsync(HttpResponse response, string text, CancellationToken token)
    {
        await response.WriteAsync(text, token).ConfigureAwait(false);
        await response.Body.FlushAsync(token).ConfigureAwait(false);
    }

    /// <summary>One client's bounded queue of transitions; <c>null</c> items are keep-alive ticks.</summary>
    private sealed class Session(int capacity)
    {
        private readonly Channel<ModeTransition?> _queue = Channel.CreateBounded<ModeTransition?>(
            new BoundedChannelOptions(capacity) { SingleReader = true, FullMode = BoundedChannelFullMode.Wait });
        private volatile bool _overflowed;

        public ChannelReader<ModeTransition?> Reader => _queue.Reader;

        public bool Overflowed => _overflowed;

        public void Offer(ModeTransition transition)
        {
            if (_queue.Writer.TryWrite(transition)) return;
            _overflowed = true;
            _queue.Writer.TryComplete();
        }

        public void OfferKeepAlive() => _queue.Writer.TryWrite(null);
    }
}
