using Degradation.Events;
using Degradation.State;
using Polly.CircuitBreaker;

namespace Degradation.Polly;

/// <summary>
/// Feeds a Polly.Core circuit breaker's state changes into component events, so an existing Polly
/// pipeline (e.g. around the broker's REST API) drives the trading gate: opened → a failure event with
/// <c>reason</c>; closed → <see cref="EventType.Recovered"/>; half-opened → a heartbeat (the dependency is being probed).
/// Existing OnOpened/OnClosed/OnHalfOpened handlers are kept and run first.
/// </summary>
public static class PollyCircuitBreakerBridge
{
    /// <summary>Reports this breaker's state changes for <paramref name="component"/> to <paramref name="bus"/>.</summary>
    /// <param name="options">The breaker options to extend.</param>
    /// <param name="bus">The degradation event bus.</param>
    /// <param name="component">The component the breaker protects.</param>
    /// <param name="reason">The reason reported when the breaker opens, e.g. <c>broker.disconnect</c>.</param>
    /// <param name="failureType">The event type reported when the breaker opens.</param>
    public static CircuitBreakerStrategyOptions<TResult> ReportTo<TResult>(this CircuitBreakerStrategyOptions<TResult> options,
        EventBus bus, ComponentId component, ReasonCode reason, EventType failureType = EventType.FailCritical)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(bus);
        if (component.IsEmpty) throw new ArgumentException("A component is required.", nameof(component));
        if (reason.IsEmpty) throw new ArgumentException("A reason is required.", nameof(reason));
        if (failureType is not (EventType.FailCritical or EventType.FailSupport or EventType.QualityDegraded))
            throw new ArgumentOutOfRangeException(nameof(failureType), failureType, "The failure type must be FailCritical, FailSupport or QualityDegraded.");

        var onOpened = options.OnOpened;
        options.OnOpened = async args =>
        {
            if (onOpened is not null) await onOpened(args).ConfigureAwait(false);
            var details = args.Outcome.Exception?.Message ?? $"circuit opened for {args.BreakDuration.TotalMilliseconds:0} ms";
            bus.Publish(failureType, component, reason, details, source: ConditionSource.Breaker(component.Name));
        };
        var onClosed = options.OnClosed;
        options.OnClosed = async args =>
        {
            if (onClosed is not null) await onClosed(args).ConfigureAwait(false);
            bus.Publish(EventType.Recovered, component, ReasonCode.ComponentRecovered, "circuit closed", source: ConditionSource.Breaker(component.Name));
        };
        var onHalfOpened = options.OnHalfOpened;
        options.OnHalfOpened = async args =>
        {
            if (onHalfOpened is not null) await onHalfOpened(args).ConfigureAwait(false);
            bus.Publish(EventType.Heartbeat, component, ReasonCode.ComponentHeartbeat, "circuit half-open", source: ConditionSource.Breaker(component.Name));
        };
        return options;
    }

    /// <summary>Reports this (non-generic) breaker's state changes for <paramref name="component"/> to <paramref name="bus"/>.</summary>
    public static CircuitBreakerStrategyOptions ReportTo(this CircuitBreakerStrategyOptions options,
        EventBus bus, ComponentId component, ReasonCode reason, EventType failureType = EventType.FailCritical)
    {
        ReportTo<object>(options, bus, component, reason, failureType);
        return options;
    }

    /// <summary>Reports this (non-generic) breaker's state changes for <paramref name="component"/> to <paramref name="system"/>'s bus.</summary>
    public static CircuitBreakerStrategyOptions ReportTo(this CircuitBreakerStrategyOptions options,
        DegradationSystem system, ComponentId component, ReasonCode reason, EventType failureType = EventType.FailCritical)
    {
        ArgumentNullException.ThrowIfNull(system);
        return options.ReportTo(system.Bus, component, reason, failureType);
    }

    /// <summary>Reports this breaker's state changes for <paramref name="component"/> to <paramref name="system"/>'s bus.</summary>
    public static CircuitBreakerStrategyOptions<TResult> ReportTo<TResult>(this CircuitBreakerStrategyOptions<TResult> options,
        DegradationSystem system, ComponentId component, ReasonCode reason, EventType failureType = EventType.FailCritical)
    {
        ArgumentNullException.ThrowIfNull(system);
        return options.ReportTo(system.Bus, component, reason, failureType);
    }
}
