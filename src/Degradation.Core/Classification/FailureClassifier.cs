namespace Degradation.Classification;

/// <summary>
/// Classifies a dependency's latency, error rate, queue depth and yes/no signals and turns the verdict
/// into a <see cref="SystemEvent"/>. The table, strictly-above thresholds:
/// <list type="table">
/// <item><term>checksum mismatch</term><description><see cref="FailureKind.DataCorruption"/>, Critical, failure</description></item>
/// <item><term>configuration invalid</term><description><see cref="FailureKind.ConfigurationError"/>, Critical, failure</description></item>
/// <item><term>unreachable</term><description><see cref="FailureKind.NetworkPartition"/>, Critical, failure</description></item>
/// <item><term>heartbeat missed</term><description><see cref="FailureKind.DependencyDown"/>, Critical, failure</description></item>
/// <item><term>error rate &gt; critical</term><description><see cref="FailureKind.ErrorSpike"/>, Critical, failure</description></item>
/// <item><term>health check failed</term><description><see cref="FailureKind.Unavailable"/>, Warning, failure</description></item>
/// <item><term>request timed out</term><description><see cref="FailureKind.Timeout"/>, Warning, failure</description></item>
/// <item><term>rate limited</term><description><see cref="FailureKind.RateLimited"/>, Warning, failure</description></item>
/// <item><term>latency &gt; critical</term><description><see cref="FailureKind.HighLatency"/>, Warning, failure</description></item>
/// <item><term>queue depth &gt; critical</term><description><see cref="FailureKind.CapacityExceeded"/>, Warning, failure</description></item>
/// <item><term>latency &gt; warning</term><description><see cref="FailureKind.LatencyElevated"/>, quality degraded</description></item>
/// <item><term>error rate &gt; warning</term><description><see cref="FailureKind.ErrorsElevated"/>, quality degraded</description></item>
/// <item><term>queue depth &gt; warning</term><description><see cref="FailureKind.QueueElevated"/>, quality degraded</description></item>
/// </list>
/// The first matching row wins, so the most severe breach is reported (checking latency before the
/// error rate would report a CRITICAL error spike as a HIGH latency problem). Each kind's detection method, typical
/// recovery and decision-matrix row are in <see cref="FailureTaxonomy"/>. A failure becomes a
/// <see cref="EventType.FailCritical"/> event for a critical component and <see cref="EventType.FailSupport"/>
/// otherwise; a warning becomes <see cref="EventType.QualityDegraded"/>; a healthy sample makes no event.
/// Classification is instantaneous: hysteresis (N bad samples in a row) belongs to the caller's detector (rule 3 in docs/RULES.md).
/// Stateless and thread-safe.
/// </summary>
public sealed class FailureClassifier
{
    private const FailureSignals AllSignals = FailureSignals.HealthCheckFailed | FailureSignals.HeartbeatMissed | FailureSignals.RequestTimedOut
        | FailureSignals.RateLimited | FailureSignals.Unreachable | FailureSignals.ChecksumMismatch | FailureSignals.ConfigurationInvalid;

    private readonly FailureClassificationOptions _options;
    private readonly double _latencyWarningMs;
    private readonly double _latencyCriticalMs;

    /// <summary>Creates a classifier.</summary>
    /// <param name="options">Thresholds; the defaults when null.</param>
    /// <exception cref="DegradationOptionsException">A threshold is invalid; the message names it.</exception>
    public FailureClassifier(FailureClassificationOptions? options = null)
    {
        options ??= new FailureClassificationOptions();
        options.ValidateAndThrow();
        _options = options.Frozen<FailureClassificationOptions>(); // validated once: later changes to the caller's object change nothing
        // Samples measure latency in milliseconds; the thresholds are durations.
        _latencyWarningMs = _options.LatencyWarning.TotalMilliseconds;
        _latencyCriticalMs = _options.LatencyCritical.TotalMilliseconds;
    }

    /// <summary>Classifies one sample (see the class summary for the table).</summary>
    /// <exception cref="ArgumentOutOfRangeException">A negative or NaN measurement, or an unknown signal bit.</exception>
    public FailureClassification Classify(in HealthSample sample)
    {
        if (!(sample.LatencyMs >= 0)) throw new ArgumentOutOfRangeException(nameof(sample), sample.LatencyMs, $"LatencyMs must be >= 0 (was {sample.LatencyMs}).");
        if (!(sample.ErrorRate >= 0)) throw new ArgumentOutOfRangeException(nameof(sample), sample.ErrorRate, $"ErrorRate must be >= 0 (was {sample.ErrorRate}).");
        if ((sample.Signals & ~AllSignals) != 0) throw new ArgumentOutOfRangeException(nameof(sample), sample.Signals, $"Signals has unknown bits (was {(int)sample.Signals}).");
        if (sample.QueueDepth < 0) throw new ArgumentOutOfRangeException(nameof(sample), sample.QueueDepth, $"QueueDepth must be >= 0 (was {sample.QueueDepth}).");
        var o = _options;
        var signals = sample.Signals;
        var kind =
            signals.HasFlag(FailureSignals.ChecksumMismatch) ? FailureKind.DataCorruption
            : signals.HasFlag(FailureSignals.ConfigurationInvalid) ? FailureKind.ConfigurationError
            : signals.HasFlag(FailureSignals.Unreachable) ? FailureKind.NetworkPartition
            : signals.HasFlag(FailureSignals.HeartbeatMissed) ? FailureKind.DependencyDown
            : sample.ErrorRate > o.ErrorRateCritical ? FailureKind.ErrorSpike
            : signals.HasFlag(FailureSignals.HealthCheckFailed) ? FailureKind.Unavailable
            : signals.HasFlag(FailureSignals.RequestTimedOut) ? FailureKind.Timeout
            : signals.HasFlag(FailureSignals.RateLimited) ? FailureKind.RateLimited
            : sample.LatencyMs > _latencyCriticalMs ? FailureKind.HighLatency
            : sample.QueueDepth > o.QueueDepthCritical ? FailureKind.CapacityExceeded
            : sample.LatencyMs > _latencyWarningMs ? FailureKind.LatencyElevated
            : sample.ErrorRate > o.ErrorRateWarning ? FailureKind.ErrorsElevated
            : sample.QueueDepth > o.QueueDepthWarning ? FailureKind.QueueElevated
            : FailureKind.None;
        return new FailureClassification(kind, kind == FailureKind.None ? Severity.Info : FailureTaxonomy.Get(kind).Severity, sample);
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
