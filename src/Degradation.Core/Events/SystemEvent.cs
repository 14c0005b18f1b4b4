namespace Degradation.Events;

/// <summary>
/// Something a detector (probe, breaker, application code) observed about one component.
/// Events are verdicts: hysteresis lives in the detectors, and the state machine applies an event at once.
/// A struct, so publishing allocates nothing.
/// </summary>
public readonly struct SystemEvent
{
    /// <summary>Creates an event with explicit timestamps.</summary>
    /// <param name="type">What kind of event.</param>
    /// <param name="component">Which component it is about.</param>
    /// <param name="reason">Why; mapped to a mode by the decision matrix.</param>
    /// <param name="severity">How severe.</param>
    /// <param name="wallTime">Wall-clock time, for display and audit.</param>
    /// <param name="timestamp">Monotonic time from <see cref="TimeProvider.GetTimestamp"/>, for all logic.</param>
    /// <param name="details">Optional free text.</param>
    /// <param name="ttl">How long this information stays valid; the component's status TTL when null.</param>
    public SystemEvent(EventType type, ComponentId component, ReasonCode reason, Severity severity,
        DateTimeOffset wallTime, long timestamp, string? details = null, TimeSpan? ttl = null)
    {
        if (component.IsEmpty) throw new ArgumentException("An event needs a component.", nameof(component));
        if (ttl is { } t && t <= TimeSpan.Zero)
            throw new ArgumentOutOfRangeException(nameof(ttl), ttl, "An event's TTL must be positive.");
        Type = type;
        Component = component;
        Reason = reason.IsEmpty ? DefaultReason(type) : reason;
        Severity = severity;
        WallTime = wallTime;
        Timestamp = timestamp;
        Details = details;
        Ttl = ttl;
    }

    /// <summary>What kind of event.</summary>
    public EventType Type { get; }
    /// <summary>Which component it is about.</summary>
    public ComponentId Component { get; }
    /// <summary>Why; mapped to a mode by the decision matrix.</summary>
    public ReasonCode Reason { get; }
    /// <summary>How severe.</summary>
    public Severity Severity { get; }
    /// <summary>Wall-clock time, for display and audit only.</summary>
    public DateTimeOffset WallTime { get; }
    /// <summary>Monotonic timestamp (<see cref="TimeProvider.GetTimestamp"/>), used for all logic.</summary>
    public long Timestamp { get; }
    /// <summary>Optional free text.</summary>
    public string? Details { get; }
    /// <summary>How long this information stays valid; null means the component's status TTL.</summary>
    public TimeSpan? Ttl { get; }

    /// <summary>
    /// The TTL of a report from an in-process source that speaks only when its state changes (the write buffer, the load
    /// monitor): its last word holds until its next one, so it never expires (with the default TTL a quiet source would
    /// go Unknown and hold the system at Degraded).
    /// </summary>
    internal static readonly TimeSpan UntilChanged = TimeSpan.MaxValue;
    /// <summary>
    /// Who reports it (probe, breaker, write buffer, ...); <see cref="ConditionSource.Application"/> unless set.
    /// The conditions it raises carry this source, and a <see cref="EventType.Recovered"/> clears only its own source's.
    /// </summary>
    public ConditionSource Source { get; init; }

    /// <summary>Creates an event stamped with <paramref name="timeProvider"/>'s wall and monotonic clocks.</summary>
    public static SystemEvent Create(TimeProvider timeProvider, EventType type, ComponentId component,
        ReasonCode reason = default, Severity? severity = null, string? details = null, TimeSpan? ttl = null, ConditionSource source = default)
    {
        ArgumentNullException.ThrowIfNull(timeProvider);
        return new SystemEvent(type, component, reason, severity ?? DefaultSeverity(type),
            timeProvider.GetUtcNow(), timeProvider.GetTimestamp(), details, ttl) { Source = source };
    }

    /// <summary>True when the event has a TTL and it has passed at <paramref name="nowTimestamp"/>.</summary>
    public bool IsExpired(TimeProvider timeProvider, long nowTimestamp)
    {
        ArgumentNullException.ThrowIfNull(timeProvider);
        return Ttl is { } ttl && timeProvider.GetElapsedTime(Timestamp, nowTimestamp) > ttl;
    }

    /// <summary>The severity an event of <paramref name="type"/> gets when none is given.</summary>
    public static Severity DefaultSeverity(EventType type) => type switch
    {
        EventType.FailCritical => Severity.Critical,
        EventType.FailSupport or EventType.QualityDegraded => Severity.Warning,
        _ => Severity.Info,
    };

    private static ReasonCode DefaultReason(EventType type) => type switch
    {
        EventType.Heartbeat => ReasonCode.ComponentHeartbeat,
        EventType.Recovered => ReasonCode.ComponentRecovered,
        _ => throw new ArgumentException($"A {type} event needs a reason code.", "reason"),
    };

    /// <inheritdoc />
    public override string ToString() => $"{Type} {Component} {Reason}";
}
