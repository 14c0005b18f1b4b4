using System.Collections.Frozen;

namespace Degradation.Classification;

/// <summary>
/// The failure taxonomy: every <see cref="FailureKind"/> with its detection method, typical recovery time, whether it
/// needs a person, its severity and the reason code (and so the decision-matrix row) of its events. The ten failure
/// types in order of precedence (the classifier reports the first that applies):
/// <list type="table">
/// <item><term>data_corruption</term><description>checksum validation, 60 min, operator, Critical, Halt</description></item>
/// <item><term>configuration_error</term><description>config validator, 10 min, operator, Critical, SafeMode</description></item>
/// <item><term>network_partition</term><description>connectivity check, 20 min, operator, Critical, SafeMode</description></item>
/// <item><term>dependency_down</term><description>heartbeat, 15 min, Critical</description></item>
/// <item><term>error_spike</term><description>error-rate tracker, 3 min, Critical</description></item>
/// <item><term>unavailable</term><description>health check, 5 min, Warning</description></item>
/// <item><term>timeout</term><description>request timeout, 1 min, Warning</description></item>
/// <item><term>rate_limited</term><description>rate-limit answer (429), 5 min, Warning</description></item>
/// <item><term>high_latency</term><description>latency monitor, 2 min, Warning</description></item>
/// <item><term>capacity_exceeded</term><description>queue depth, 10 min, Warning</description></item>
/// </list>
/// Without a mode in the table the mode follows the component (SafeMode for a critical one, Degraded for an optional
/// one), as for any failure; an optional component's failure is capped at Degraded unless the row is Halt.
/// The three quality warnings share their failure's detection method and typical recovery, at severity Warning.
/// </summary>
public static class FailureTaxonomy
{
    private static readonly FailureTypeInfo?[] ByKind = Build();
    private static readonly FrozenDictionary<string, FailureTypeInfo> ByReason =
        ByKind.OfType<FailureTypeInfo>().ToFrozenDictionary(i => i.Reason.Value, StringComparer.Ordinal);

    /// <summary>The ten failure types, in order of precedence.</summary>
    public static IReadOnlyList<FailureTypeInfo> Failures { get; } =
    [
        .. new[]
        {
            FailureKind.DataCorruption, FailureKind.ConfigurationError, FailureKind.NetworkPartition, FailureKind.DependencyDown,
            FailureKind.ErrorSpike, FailureKind.Unavailable, FailureKind.Timeout, FailureKind.RateLimited,
            FailureKind.HighLatency, FailureKind.CapacityExceeded,
        }.Select(Get),
    ];

    /// <summary>The three quality warnings (latency, errors, queue depth above their warning threshold).</summary>
    public static IReadOnlyList<FailureTypeInfo> QualityWarnings { get; } =
        [Get(FailureKind.LatencyElevated), Get(FailureKind.ErrorsElevated), Get(FailureKind.QueueElevated)];

    /// <summary>The facts about <paramref name="kind"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><see cref="FailureKind.None"/> or an unknown kind.</exception>
    public static FailureTypeInfo Get(FailureKind kind) =>
        (uint)kind < (uint)ByKind.Length && ByKind[(int)kind] is { } info
            ? info
            : throw new ArgumentOutOfRangeException(nameof(kind), kind, $"'{kind}' is not a failure type or quality warning of the taxonomy.");

    /// <summary>The taxonomy entry whose events carry <paramref name="reason"/>, if any.</summary>
    public static bool TryGetByReason(ReasonCode reason, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out FailureTypeInfo? info)
    {
        if (reason.IsEmpty) { info = null; return false; }
        return ByReason.TryGetValue(reason.Value, out info);
    }

    private static FailureTypeInfo?[] Build()
    {
        var all = new FailureTypeInfo?[(int)FailureKind.ConfigurationError + 1];
        void Add(FailureKind kind, string name, DetectionMethod detection, int minutes, Severity severity, bool manual = false) =>
            all[(int)kind] = new FailureTypeInfo
            {
                Kind = kind, Name = name, Detection = detection, TypicalRecovery = TimeSpan.FromMinutes(minutes),
                RequiresManualIntervention = manual, Severity = severity, Reason = ClassificationReasons.For(kind),
            };
        Add(FailureKind.LatencyElevated, "latency_elevated", DetectionMethod.LatencyMonitor, 2, Severity.Warning);
        Add(FailureKind.ErrorsElevated, "errors_elevated", DetectionMethod.ErrorRateTracker, 3, Severity.Warning);
        Add(FailureKind.QueueElevated, "queue_elevated", DetectionMethod.QueueDepth, 10, Severity.Warning);
        Add(FailureKind.HighLatency, "high_latency", DetectionMethod.LatencyMonitor, 2, Severity.Warning);
        Add(FailureKind.ErrorSpike, "error_spike", DetectionMethod.ErrorRateTracker, 3, Severity.Critical);
        Add(FailureKind.CapacityExceeded, "capacity_exceeded", DetectionMethod.QueueDepth, 10, Severity.Warning);
        Add(FailureKind.Unavailable, "unavailable", DetectionMethod.HealthCheck, 5, Severity.Warning);
        Add(FailureKind.DependencyDown, "dependency_down", DetectionMethod.Heartbeat, 15, Severity.Critical);
        Add(FailureKind.Timeout, "timeout", DetectionMethod.RequestTimeout, 1, Severity.Warning);
        Add(FailureKind.RateLimited, "rate_limited", DetectionMethod.RateLimitResponse, 5, Severity.Warning);
        Add(FailureKind.NetworkPartition, "network_partition", DetectionMethod.ConnectivityCheck, 20, Severity.Critical, manual: true);
        Add(FailureKind.DataCorruption, "data_corruption", DetectionMethod.ChecksumValidation, 60, Severity.Critical, manual: true);
        Add(FailureKind.ConfigurationError, "configuration_error", DetectionMethod.ConfigValidator, 10, Severity.Critical, manual: true);
        return all;
    }
}
