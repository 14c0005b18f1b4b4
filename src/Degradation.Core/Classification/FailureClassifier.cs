namespace Degradation.Classification;

/// <summary>
/// Classifies a dependency's latency, error rate and queue depth and turns the verdict
/// into a <see cref="SystemEvent"/>. The table, strictly-above thresholds:
/// <list type="table">
/// <item><term>error rate &gt; critical</term><description><see cref="FailureKind.ErrorSpike"/>, Critical, failure</description></item>
/// <item><term>latency &gt; critical</term><description><see cref="FailureKind.HighLatency"/>, Warning, failure</description></item>
/// <item><term>queue depth &gt; critical</term><description><see cref="FailureKind.CapacityExceeded"/>, Warning, failure</description></item>
/// <item><term>latency &gt; warning</term><description><see cref="FailureKind.LatencyElevated"/>, quality degraded</description></item>
/// <item><term>error rate &gt; warning</term><description><see cref="FailureKind.ErrorsElevated"/>, quality degraded</description></item>
/// <item><term>queue depth &gt; warning</term><description><see cref="FailureKind.QueueElevated"/>, quality degraded</description></item>
/// </list>
/// The first matching row wins, so the most severe breach is reported (checking latency before the
/// error rate would report a CRITICAL error spike as a HIGH latency problem). A failure becomes a
/// <see cref="EventType.FailCritical"/> event for a critical component and <see cref="EventType.FailSupport"/>
/// otherwise; a warning becomes <see cref="EventType.QualityDegraded"/>; a healthy sample makes no event.
/// Classification is instantaneous: hysteresis (N bad samples in a row) belongs to the caller's detector (rule 3 in docs/RULES.md).
/// Stateless and thread-safe.
/// </summary>
public sealed class FailureClassifier
{
    private readonly FailureClassificationOptions _options;

    /// <summary>Creates a classifier.</summary>
    /// <param name="options">Thresholds; the defaults when null.</param>
    /// <exception cref="DegradationOptionsException">A threshold is invalid; the message names it.</exception>
    public FailureClassifier(FailureClassificationOptions? options = null)
    {
        _options = options ?? new FailureClassificationOptions();
        _options.ValidateAndThrow();
    }

    /// <summary>Classifies one sample (see the class summary for the table).</summary>
    /// <exception cref="ArgumentOutOfRangeException">A negative or NaN signal.</exception>
    public FailureClassification Classify(in HealthSample sample)
    {
        if (!(sample.LatencyMs >= 0)) throw new ArgumentOutOfRangeException(nameof(sample), sample.LatencyMs, $"LatencyMs must be >= 0 (was {sample.LatencyMs}).");
        if (!(sample.ErrorRate >= 0)) throw new ArgumentOutOfRangeException(nameof(sample), sample.ErrorRate, $"ErrorRate must be >= 0 (was {sample.ErrorRate}).");
        if (sample.QueueDepth < 0) throw new ArgumentOutOfRangeException(nameof(sample), sample.QueueDepth, $"QueueDepth must be >= 0 (was {sample.QueueDepth}).");
        var o = _options;
        var (kind, severity) =
            sample.ErrorRate > o.ErrorRateCritical ? (FailureKind.ErrorSpike, Severity.Critical)
            : sample.LatencyMs > o.LatencyCriticalMs ? (FailureKind.HighLatency, Severity.Warning)
            : sample.QueueDepth > o.QueueDepthCritical ? (FailureKind.CapacityExceeded, Severity.Warning)
            : sample.LatencyMs > o.LatencyWarningMs ? (FailureKind.LatencyElevated, Severity.Warning)
            : sample.ErrorRate > o.ErrorRateWarning ? (FailureKind.ErrorsElevated, Severity.Warning)
            : sample.QueueDepth > o.QueueDepthWarning ? (FailureKind.QueueElevated, Severity.Warning)
            : (FailureKind.None, Severity.Info);
        return new FailureClassification(kind, severity, sample);
    }

    /// <summary>
    /// Classifies <paramref name="sample"/> and, unless it is healthy, creates the event for
    /// <paramref name="component"/> stamped by <paramref name="timeProvider"/>.
    /// </summary>
    /// <param name="timeProvider">Stamps the event.</param>
    /// <param name="component">The dependency sampled.</param>
    /// <param name="sample">The observation.</param>
    /// <param name="critical">Whether the component is critical (a failure is then <see cref="EventType.FailCritical"/>).</param>
    /// <param name="systemEvent">The event, when the method returns true.</param>
    /// <returns>False for a healthy sample.</returns>
    public bool TryCreateEvent(TimeProvider timeProvider, ComponentId component, in HealthSample sample, bool critical, out SystemEvent systemEvent) =>
        TryCreateEvent(timeProvider, component, Classify(sample), critical, out systemEvent);

    /// <summary>Creates the event for an existing <paramref name="verdict"/> (false when it is healthy).</summary>
    public static bool TryCreateEvent(TimeProvider timeProvider, ComponentId component, in FailureClassification verdict, bool critical, out SystemEvent systemEvent)
    {
        ArgumentNullException.ThrowIfNull(timeProvider);
        if (verdict.Kind == FailureKind.None)
        {
            systemEvent = default;
            return false;
        }
        var type = verdict.IsFailure ? (critical ? EventType.FailCritical : EventType.FailSupport) : EventType.QualityDegraded;
        systemEvent = SystemEvent.Create(timeProvider, type, component, verdict.Reason, verdict.Severity, verdict.ToString());
        return true;
    }

    /// <summary>
    /// Classifies <paramref name="sample"/> and publishes the event (if any) on <paramref name="bus"/>; the
    /// component's criticality comes from <paramref name="policy"/>.
    /// </summary>
    /// <returns>The verdict (published only when not healthy).</returns>
    public FailureClassification Publish(EventBus bus, DegradationPolicy policy, TimeProvider timeProvider, ComponentId component, in HealthSample sample)
    {
        ArgumentNullException.ThrowIfNull(bus);
        ArgumentNullException.ThrowIfNull(policy);
        var critical = policy.GetComponent(component)?.Critical ?? false;
        var verdict = Classify(sample);
        if (TryCreateEvent(timeProvider, component, verdict, critical, out var systemEvent)) bus.Publish(systemEvent);
        return verdict;
    }
}
