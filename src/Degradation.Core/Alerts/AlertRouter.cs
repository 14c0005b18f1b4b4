using System.Threading.Channels;

namespace Degradation.Alerts;

/// <summary>
/// Routes <see cref="Alert"/>s to <see cref="IAlertSink"/>s by audience and severity without ever
/// blocking the publisher: <see cref="Publish(Alert)"/> writes to a bounded queue (drops are counted) and one
/// background loop delivers, each attempt bounded by a timeout. A sink that fails goes down: it is reported
/// once to the state machine as <c>alerts.channel_down</c> on <see cref="ComponentId.Alerts"/>, a
/// channel-down alert goes out through the <em>other</em> sinks, and the failing sink is retried only after
/// <see cref="AlertRouterOptions.DownRetry"/>. Channel-down alerts never go to a down sink and never raise
/// further channel-down alerts, so a failing sink cannot start a feedback loop. When every sink delivers
/// again, the router reports <see cref="EventType.Recovered"/> for the alerts component.
/// <para>
/// Channels: <see cref="AddChannel"/> adds a named sink whose routes come from <see cref="AlertChannelOptions.Routes"/>.
/// Acknowledgement: created with <see cref="AlertChannelOptions"/>, the router numbers every alert and keeps those whose
/// severity has an acknowledgement SLA until an operator calls <see cref="Acknowledge"/>; one left unacknowledged past its
/// deadline is re-sent once, as Critical, to <see cref="AlertChannelOptions.EscalationChannel"/> (every channel when none is
/// named) and the escalation is audited.
/// </para>
/// </summary>
public sealed class AlertRouter : IAsyncDisposable
{
    private readonly AlertRouterOptions _options;
    private readonly TimeProvider _time;
    private readonly EventBus? _bus;
    private readonly Channel<Alert> _queue;
    private readonly TimeSpan _sinkTimeout;
    private readonly TimeSpan _downRetry;
    private readonly object _routesLock = new();
    private readonly SemaphoreSlim _deliveryGate = new(1, 1);
    private readonly object _flushLock = new();
    private readonly List<(long Target, TaskCompletionSource Done)> _flushWaiters = [];
    private readonly CancellationTokenSource _stop = new();
    private readonly AlertChannelOptions? _channels;
    private readonly AlertAcknowledgements? _acknowledgements;
    private Route[] _routes = [];
    private long _nextId;
    private int _routeCounter;
    private long _published;
    private long _handled;
    private long _dropped;
    private long _delivered;
    private long _failures;
    private long _unrouted;
    private int _channelDownReported;
    private int _disposed;
    private int _state; // 0 created, 1 running, 2 stopped
    private Task _loop = Task.CompletedTask;

    /// <summary>Creates a router. Call <see cref="Start"/> to deliver in the background, or <see cref="FlushAsync"/> to deliver on the caller.</summary>
    /// <param name="options">Options; defaults when null.</param>
    /// <param name="timeProvider">Clock for alert times, timeouts and retries; <see cref="TimeProvider.System"/> when null.</param>
    /// <param name="bus">When given, failing sinks are reported as <c>alerts.channel_down</c>.</param>
    /// <exception cref="DegradationOptionsException">An option is invalid; the message names it.</exception>
    public AlertRouter(AlertRouterOptions? options = null, TimeProvider? timeProvider = null, EventBus? bus = null)
        : this(options, timeProvider, bus, null, null)
    {
    }

    /// <summary>Creates a router with channels and acknowledgement tracking.</summary>
    /// <param name="options">Options; defaults when null.</param>
    /// <param name="timeProvider">Clock for alert times, timeouts, retries and acknowledgement deadlines; <see cref="TimeProvider.System"/> when null.</param>
    /// <param name="bus">When given, failing sinks are reported as <c>alerts.channel_down</c>.</param>
    /// <param name="channels">Channel routes, acknowledgement SLAs and the escalation channel; null: no channels rules and no acknowledgement tracking.</param>
    /// <param name="audit">When given, acknowledgements and escalations are audited in it, in order (an <see cref="AuditTrail"/>, or a runtime's <see cref="DegradationRuntime.Audit"/> for every store).</param>
    /// <exception cref="DegradationOptionsException">An option is invalid; the message names it.</exception>
    public AlertRouter(AlertRouterOptions? options, TimeProvider? timeProvider, EventBus? bus, AlertChannelOptions? channels, IAuditStore? audit)
    {
        channels?.ValidateAndThrow();
        _channels = channels?.Frozen<AlertChannelOptions>(); // validated once: later changes to the caller's object change nothing
        _options = options ?? new AlertRouterOptions();
        _options.ValidateAndThrow();
        _time = timeProvider ?? TimeProvider.System;
        _bus = bus;
        _sinkTimeout = _options.SinkTimeout;
        _downRetry = _options.DownRetry;
        _queue = Channel.CreateBounded<Alert>(new BoundedChannelOptions(_options.Capacity)
        {
            FullMode = BoundedChannelFullMode.Wait, SingleReader = false, SingleWriter = false, AllowSynchronousContinuations = false,
        });
        if (_channels is not null)
            _acknowledgements = new AlertAcknowledgements(_channels, _time, audit, Publish, () => Interlocked.Increment(ref _nextId));
    }

    /// <summary>The <see cref="Alert.Channel"/> that sends an alert to every route.</summary>
    public const string AllChannels = "*";

    /// <summary>The clock alerts are stamped with.</summary>
    public TimeProvider TimeProvider => _time;
    /// <summary>Alerts accepted by <see cref="Publish(Alert)"/>.</summary>
    public long PublishedCount => Interlocked.Read(ref _published);
    /// <summary>Alerts dropped because the queue was full or the router stopped.</summary>
    public long DroppedCount => Interlocked.Read(ref _dropped);
    /// <summary>Successful deliveries (one alert to two sinks counts twice).</summary>
    public long DeliveredCount => Interlocked.Read(ref _delivered);
    /// <summary>Failed deliveries (exceptions and timeouts).</summary>
    public long FailureCount => Interlocked.Read(ref _failures);
    /// <summary>Alerts that matched no route.</summary>
    public long UnroutedCount => Interlocked.Read(ref _unrouted);
    /// <summary>Alerts waiting for delivery.</summary>
    public int PendingCount => _queue.Reader.Count;
    /// <summary>True while the background loop runs.</summary>
    public bool IsRunning => Volatile.Read(ref _state) == 1;
    /// <summary>True when the router tracks acknowledgements (it was created with <see cref="AlertChannelOptions"/>).</summary>
    public bool TracksAcknowledgements => _acknowledgements is not null;
    /// <summary>Alerts waiting for acknowledgement (escalated or not).</summary>
    public int UnacknowledgedCount => _acknowledgements?.UnacknowledgedCount ?? 0;
    /// <summary>Alerts operators acknowledged.</summary>
    public long AcknowledgedCount => _acknowledgements?.AcknowledgedCount ?? 0;
    /// <summary>Alerts that passed their acknowledgement deadline and were escalated.</summary>
    public long EscalatedCount => _acknowledgements?.EscalatedCount ?? 0;

    /// <summary>
    /// Adds a named channel: <paramref name="sink"/> takes what the <see cref="AlertChannelOptions.Routes"/> naming
    /// <paramref name="name"/> match, or every alert when no rule names it, plus the alerts sent to the channel by name
    /// (escalations). Dispose to remove it.
    /// </summary>
    /// <exception cref="ArgumentException">An empty name, or <see cref="AllChannels"/>.</exception>
    public IDisposable AddChannel(string name, IAlertSink sink)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentNullException.ThrowIfNull(sink);
        if (name == AllChannels) throw new ArgumentException($"'{AllChannels}' is reserved for \"every channel\"; choose another channel name.", nameof(name));
        var rules = (_channels?.Routes ?? []).Where(r => string.Equals(r.Channel, name, StringComparison.OrdinalIgnoreCase)).ToList();
        if (rules.Count == 0) return AddRoute(sink, null, Severity.Info, name);
        var routes = rules.Select(r => AddRoute(sink, r.Audience, r.MinimumSeverity, name)).ToList();
        return new CompositeRemoval(routes);
    }

    /// <summary>
    /// Acknowledges alert <paramref name="alertId"/> (or the alert an escalation with that id escalated) on behalf of
    /// <paramref name="operatorId"/>: it stops waiting and will not escalate (audited as <c>alert.acknowledged</c>).
    /// </summary>
    /// <exception cref="ArgumentException">An empty operator id.</exception>
    /// <exception cref="InvalidOperationException">The router does not track acknowledgements.</exception>
    public AcknowledgeOutcome Acknowledge(long alertId, string operatorId, string? note = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(operatorId);
        if (_acknowledgements is null)
            throw new InvalidOperationException("This alert router does not track acknowledgements: create it with AlertChannelOptions.");
        return _acknowledgements.Acknowledge(alertId, operatorId, string.IsNullOrWhiteSpace(note) ? null : note);
    }

    /// <summary>Alerts that need acknowledgement: the open ones (earliest deadline first), then recently acknowledged ones (newest first). Empty without tracking.</summary>
    public IReadOnlyList<TrackedAlert> GetAlerts() => _acknowledgements?.GetAlerts() ?? [];

    /// <summary>
    /// Adds a route: <paramref name="sink"/> receives alerts for <paramref name="audience"/> (any audience when
    /// null; compared case-insensitively) at <paramref name="minimumSeverity"/> or above. Dispose to remove it.
    /// </summary>
    public IDisposable AddRoute(IAlertSink sink, string? audience = null, Severity minimumSeverity = Severity.Info, string? name = null)
    {
        ArgumentNullException.ThrowIfNull(sink);
        if (audience is not null && string.IsNullOrWhiteSpace(audience))
            throw new ArgumentException($"audience must be null (every audience) or not blank (was '{audience}').", nameof(audience));
        if (!Enum.IsDefined(minimumSeverity))
            throw new ArgumentOutOfRangeException(nameof(minimumSeverity), minimumSeverity, $"Unknown severity '{(int)minimumSeverity}'.");
        var route = new Route(sink, audience, minimumSeverity,
            string.IsNullOrWhiteSpace(name) ? $"{sink.GetType().Name}#{Interlocked.Increment(ref _routeCounter)}" : name);
        lock (_routesLock) _routes = [.. _routes, route];
        return new RouteRemoval(this, route);
    }

    /// <summary>A point-in-time view of every route.</summary>
    public IReadOnlyList<AlertRouteStatus> GetRoutes() => [.. Volatile.Read(ref _routes).Select(r => r.ToStatus())];

    /// <summary>Queues <paramref name="alert"/> without blocking. Returns false (and counts a drop) when the queue is full or the router stopped.</summary>
    public bool Publish(Alert alert)
    {
        ArgumentNullException.ThrowIfNull(alert);
        if (alert.Id == 0) alert = alert with { Id = Interlocked.Increment(ref _nextId) };
        if (Volatile.Read(ref _state) != 2 && _queue.Writer.TryWrite(alert))
        {
            Interlocked.Increment(ref _published);
            _acknowledgements?.Track(alert);
            return true;
        }
        Interlocked.Increment(ref _dropped);
        return false;
    }

    /// <summary>Creates an alert stamped with the router's clock and queues it (see <see cref="Publish(Alert)"/>).</summary>
    public bool Publish(Severity severity, string audience, string title, string? message = null, ComponentId? component = null, ReasonCode? reason = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(audience);
        ArgumentException.ThrowIfNullOrWhiteSpace(title);
        return Publish(new Alert
        {
            Severity = severity, Audience = audience, Title = title, Message = message, Component = component, Reason = reason, Time = _time.GetUtcNow(),
        });
    }

    /// <summary>Starts the background delivery loop. Idempotent.</summary>
    public void Start()
    {
        if (Interlocked.CompareExchange(ref _state, 1, 0) != 0) return;
        _loop = Task.Run(RunAsync);
    }

    /// <summary>Completes when every alert published before the call has been handled. Delivers on the caller when the loop is not running.</summary>
    public Task FlushAsync(CancellationToken cancellationToken = default)
    {
        if (!IsRunning) return DeliverQueuedAsync(cancellationToken);
        lock (_flushLock)
        {
            var target = Interlocked.Read(ref _published);
            if (Interlocked.Read(ref _handled) >= target) return Task.CompletedTask;
            var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            _flushWaiters.Add((target, done));
            return done.Task.WaitAsync(cancellationToken);
        }
    }

    /// <summary>Stops accepting alerts, delivers what is queued, and stops the loop.</summary>
    public async Task StopAsync(CancellationToken cancellationToken = default)
    {
        var previous = Interlocked.Exchange(ref _state, 2);
        _queue.Writer.TryComplete();
        if (previous == 1) await _loop.WaitAsync(cancellationToken).ConfigureAwait(false);
        else await DeliverQueuedAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0) return;
        await StopAsync().ConfigureAwait(false);
        _acknowledgements?.Dispose();
        _stop.Cancel();
        _stop.Dispose();
        _deliveryGate.Dispose();
    }

    private async Task RunAsync()
    {
        var reader = _queue.Reader;
        while (await reader.WaitToReadAsync().ConfigureAwait(false))
            await DeliverQueuedAsync(CancellationToken.None).ConfigureAwait(false);
        ReleaseFlushWaiters(all: true);
    }

    private async Task DeliverQueuedAsync(CancellationToken cancellationToken)
    {
        await _deliveryGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            while (_queue.Reader.TryRead(out var alert))
            {
                await DeliverAsync(alert, channelDown: false).ConfigureAwait(false);
                Interlocked.Increment(ref _handled);
                ReleaseFlushWaiters(all: false);
            }
        }
        finally
        {
            _deliveryGate.Release();
        }
    }

    private async Task DeliverAsync(Alert alert, bool channelDown)
    {
        var matched = false;
        var routes = Volatile.Read(ref _routes);
        // Sent to a channel by name: only its routes, whatever their filters; a name no route has falls back to ordinary routing.
        var channel = alert.Channel;
        if (channel is not null && channel != AllChannels && !routes.Any(r => !r.Removed && r.HasName(channel))) channel = null;
        List<IAlertSink>? reached = null;
        foreach (var route in routes)
        {
            if (route.Removed) continue;
            if (channel is null ? !route.Matches(alert) : channel != AllChannels && !route.HasName(channel)) continue;
            // A channel with several rules is one sink: it receives an alert once.
            reached ??= [];
            if (reached.Contains(route.Sink)) continue;
            reached.Add(route.Sink);
            matched = true;
            var now = _time.GetTimestamp();
            if (route.IsDown)
            {
                // A down sink never carries a channel-down alert (no feedback loop), and is retried only after the retry interval.
                if (channelDown) continue;
                if (_time.GetElapsedTime(route.DownSince, now) < _downRetry)
                {
                    Interlocked.Increment(ref route.Skipped);
                    continue;
                }
            }
            try
            {
                await SendAsync(route.Sink, alert).ConfigureAwait(false);
                Interlocked.Increment(ref route.Delivered);
                Interlocked.Increment(ref _delivered);
                if (route.IsDown) MarkUp(route);
            }
            catch (Exception ex) when (!_stop.IsCancellationRequested)
            {
                Interlocked.Increment(ref route.Failures);
                Interlocked.Increment(ref _failures);
                route.LastError = ex is TimeoutException ? $"timed out after {_sinkTimeout.TotalSeconds:0.###} s" : ex.GetType().Name + ": " + ex.Message;
                route.DownSince = _time.GetTimestamp();
                if (!route.IsDown) await MarkDownAsync(route, channelDown).ConfigureAwait(false);
            }
        }
        if (!matched && !channelDown) Interlocked.Increment(ref _unrouted);
    }

    private async Task SendAsync(IAlertSink sink, Alert alert)
    {
        using var timeout = new CancellationTokenSource(_sinkTimeout, _time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(timeout.Token, _stop.Token);
        var pending = sink.SendAsync(alert, linked.Token);
        if (pending.IsCompleted)
        {
            await pending.ConfigureAwait(false);
            return;
        }
        try
        {
            // WaitAsync also abandons a sink that ignores its cancellation token.
            await pending.AsTask().WaitAsync(_sinkTimeout, _time, _stop.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (timeout.IsCancellationRequested && !_stop.IsCancellationRequested)
        {
            throw new TimeoutException($"The alert sink did not deliver within {_sinkTimeout.TotalSeconds:0.###} s.");
        }
    }

    private async Task MarkDownAsync(Route route, bool whileDeliveringChannelDown)
    {
        route.IsDown = true;
        if (_options.ReportChannelDown && _bus is not null)
        {
            Volatile.Write(ref _channelDownReported, 1);
            _bus.Publish(EventType.FailSupport, ComponentId.Alerts, ReasonCode.AlertsChannelDown, $"alert sink '{route.Name}' is down: {route.LastError}");
        }
        if (whileDeliveringChannelDown) return;
        var alert = new Alert
        {
            Severity = Severity.Warning, Audience = _options.ChannelDownAudience, Title = $"Alert channel '{route.Name}' is down",
            Message = route.LastError, Component = ComponentId.Alerts, Reason = ReasonCode.AlertsChannelDown, Time = _time.GetUtcNow(),
        };
        await DeliverAsync(alert, channelDown: true).ConfigureAwait(false);
    }

    private void MarkUp(Route route)
    {
        route.IsDown = false;
        route.LastError = null;
        ReportRecoveredIfNoneDown("every alert sink delivers again");
    }

    private void ReportRecoveredIfNoneDown(string details)
    {
        if (_bus is null || Volatile.Read(ref _channelDownReported) == 0) return;
        if (Volatile.Read(ref _routes).Any(r => r.IsDown && !r.Removed)) return;
        if (Interlocked.Exchange(ref _channelDownReported, 0) == 1)
            _bus.Publish(EventType.Recovered, ComponentId.Alerts, ReasonCode.ComponentRecovered, details);
    }

    private void ReleaseFlushWaiters(bool all)
    {
        lock (_flushLock)
        {
            if (_flushWaiters.Count == 0) return;
            var handled = Interlocked.Read(ref _handled);
            for (var i = _flushWaiters.Count - 1; i >= 0; i--)
            {
                if (!all && _flushWaiters[i].Target > handled) continue;
                _flushWaiters[i].Done.TrySetResult();
                _flushWaiters.RemoveAt(i);
            }
        }
    }

    private void RemoveRoute(Route route)
    {
        route.Removed = true;
        lock (_routesLock) _routes = [.. _routes.Where(r => r != route)];
        if (route.IsDown) ReportRecoveredIfNoneDown($"the down alert sink '{route.Name}' was removed");
    }

    private sealed class Route(IAlertSink sink, string? audience, Severity minimumSeverity, string name)
    {
        public long Delivered;
        public long Failures;
        public long Skipped;

        public IAlertSink Sink { get; } = sink;
        public string Name { get; } = name;
        public volatile bool IsDown;
        public volatile bool Removed;
        public long DownSince;
        public volatile string? LastError;

        public bool HasName(string name) => string.Equals(Name, name, StringComparison.OrdinalIgnoreCase);

        public bool Matches(Alert alert) =>
            alert.Severity >= minimumSeverity && (audience is null || string.Equals(audience, alert.Audience, StringComparison.OrdinalIgnoreCase));

        public AlertRouteStatus ToStatus() => new()
        {
            Name = Name, Audience = audience, MinimumSeverity = minimumSeverity, IsDown = IsDown,
            Delivered = Interlocked.Read(ref Delivered), Failures = Interlocked.Read(ref Failures), Skipped = Interlocked.Read(ref Skipped),
            LastError = LastError,
        };
    }

    private sealed class RouteRemoval(AlertRouter owner, Route route) : IDisposable
    {
        public void Dispose() => owner.RemoveRoute(route);
    }

    private sealed class CompositeRemoval(List<IDisposable> parts) : IDisposable
    {
        public void Dispose()
        {
            foreach (var part in parts) part.Dispose();
        }
    }
}
