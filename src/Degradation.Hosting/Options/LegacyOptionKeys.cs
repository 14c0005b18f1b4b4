using Degradation.Events;
using Degradation.Retry;

namespace Degradation.Hosting;

/// <summary>
/// Keys of the flat options layout (durations as <c>…Ms</c> and <c>…Seconds</c> numbers) and where each one went. A
/// configuration that still uses one fails at start naming the key and its replacement: silently ignoring it would run
/// with a default the operator did not choose.
/// </summary>
internal static class LegacyOptionKeys
{
    /// <summary>Old key directly under the <c>Degradation</c> section → the replacement (relative to the section), or a sentence when it was removed.</summary>
    public static IReadOnlyDictionary<string, string> TopLevel { get; } = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase)
    {
        ["FailThresholdCount"] = "Probes:FailThresholdCount",
        ["FailThresholdSeconds"] = "Probes:FailThresholdDuration",
        ["RiskTimeoutConsecutiveCount"] = "Probes:RiskTimeoutConsecutiveCount",
        ["BrokerTimeoutMs"] = "Probes:BrokerTimeout",
        ["MarketDataStaleMs"] = "Probes:MarketDataStaleAfter",
        ["RiskTimeoutMs"] = "Probes:RiskTimeout",
        ["DbTimeoutMs"] = "Probes:DbTimeout",
        ["ComponentStatusTtlSeconds"] = "Status:ComponentTtl",
        ["UnknownOnTtlExpiry"] = "Status:UnknownOnTtlExpiry",
        ["NeverReportedWarningSeconds"] = "Status:NeverReportedWarning",
        ["RecoveryStableSeconds"] = "Recovery:StablePeriod",
        ["MaxRecoveryAttempts"] = "Recovery:MaxAttempts",
        ["RecoveryBackoffBaseMs"] = "Recovery:BackoffBase",
        ["RecoveryBackoffMaxMs"] = "Recovery:BackoffMax",
        ["RecoveryBackoffScheduleMs"] = "Recovery:BackoffSchedule",
        ["RecoveryStageTimeoutMs"] = "Recovery:StageTimeout",
        ["AutoRecoveryToNormal"] = "Recovery:AutoToNormal",
        ["MinSafeModeSeconds"] = "SafeMode:MinDwell",
        ["FallbackRefreshSeconds"] = "Fallbacks:RefreshInterval",
        ["DbBufferMaxEntries"] = "Buffer:MaxEntries",
        ["DbBufferMaxBytes"] = "Buffer:MaxBytes",
        ["DbBufferMaxSeconds"] = "Buffer:MaxAge",
        ["EventBusQueueSize"] = "EventBus:QueueSize",
        ["EventBusDropOnFull"] = "EventBus:DropOnFull",
        ["PositionCacheStaleMs"] = "Caches:PositionStaleAfter",
        ["MarketDataCacheStaleMs"] = "Caches:MarketDataStaleAfter",
        ["MinOverrideSeconds"] = "Operator:MinOverrideTtl",
        ["MaxOverrideSeconds"] = "Operator:MaxOverrideTtl",
        ["KillSwitchActionTimeoutSeconds"] = "Operator:KillSwitchActionTimeout",
        ["AlertOnUnstable"] = "Alerts:OnUnstable",
        ["CountGateDenials"] = "Gate:CountDenials",
        ["TransitionHistorySize"] = "StateMachine:TransitionHistorySize",
        ["TickIntervalMs"] = "StateMachine:TickInterval",
    };

    /// <summary>Old keys that were removed because nothing read them, with why.</summary>
    public static IReadOnlyDictionary<string, string> Removed { get; } = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase)
    {
        ["MustDeliverBreaksOverride"] = "it had no effect: a stricter condition the override did not acknowledge always ends the override; delete the key",
        ["DbWalEnabled"] = "it had no effect: the write-ahead log is chosen in code (UseFileWal, or the PostgreSQL package's UsePostgres); delete the key",
    };

    /// <summary>Old key of a <c>Components:{name}</c> entry → its replacement.</summary>
    public static IReadOnlyDictionary<string, string> Component { get; } = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase)
    {
        ["StatusTtlSeconds"] = "StatusTtl",
    };
}
