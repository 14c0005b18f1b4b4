using System.Collections.Frozen;

namespace Degradation.State;

/// <summary>The default decision matrix (reason → target mode) and must-deliver set, before options are merged in.</summary>
internal static class DefaultDecisionMatrix
{
    /// <summary>Reason string → mode: the built-in rows (see docs/OPERATIONS.md for how configuration may change them).</summary>
    public static FrozenDictionary<string, SystemMode> Entries { get; } = new Dictionary<string, SystemMode>(StringComparer.Ordinal)
    {
        [ReasonCode.BrokerDisconnect.Value] = SystemMode.SafeModeDisconnected,
        [ReasonCode.BrokerReconnected.Value] = SystemMode.Recovering,
        [ReasonCode.BrokerMismatch.Value] = SystemMode.Halt,
        [ReasonCode.MarketDataStale.Value] = SystemMode.SafeMode,
        [ReasonCode.MarketDataQualityLow.Value] = SystemMode.Degraded,
        [ReasonCode.RiskTimeout.Value] = SystemMode.SafeMode,
        [ReasonCode.RiskBreachHard.Value] = SystemMode.Halt,
        [ReasonCode.PositionUnknown.Value] = SystemMode.Halt,
        [ReasonCode.DbWriteFailBuffered.Value] = SystemMode.Degraded,
        [ReasonCode.DbBufferOverflow.Value] = SystemMode.SafeMode,
        [ReasonCode.AlertsChannelDown.Value] = SystemMode.Degraded,
        [ReasonCode.RecoveryFailed.Value] = SystemMode.Halt,
        [ReasonCode.RecoveryComplete.Value] = SystemMode.Normal,
        [ReasonCode.AllHealthy.Value] = SystemMode.Normal,
        [ReasonCode.ColdStart.Value] = SystemMode.Recovering,
        [ReasonCode.ComponentStale.Value] = SystemMode.SafeMode,
        // Failure types that need a person (see FailureTaxonomy): corrupt data cannot be traded on until someone has looked.
        [ClassificationReasons.DataCorruption.Value] = SystemMode.Halt,
        [ClassificationReasons.ConfigurationError.Value] = SystemMode.SafeMode,
        [ClassificationReasons.NetworkPartition.Value] = SystemMode.SafeMode,
    }.ToFrozenDictionary(StringComparer.Ordinal);

    /// <summary>The must-deliver (critical) reasons: broker.disconnect, position.unknown, broker.mismatch, risk.breach_hard.</summary>
    public static FrozenSet<string> MustDeliver { get; } = new[]
    {
        ReasonCode.BrokerDisconnect.Value, ReasonCode.PositionUnknown.Value,
        ReasonCode.BrokerMismatch.Value, ReasonCode.RiskBreachHard.Value,
    }.ToFrozenSet(StringComparer.Ordinal);

    /// <summary>
    /// Reasons that are recorded and nothing more (<c>positions_reconciled</c>): the event refreshes its component's
    /// status and reaches the audit trail, but adds or clears no condition, whatever its event type. Mapping one in
    /// <see cref="DegradationOptions.DecisionMatrix"/> makes it act like any other row; mapping it to Normal or
    /// Recovering (which loosen) must be accepted in <see cref="DegradationOptions.AllowLoosening"/>.
    /// </summary>
    public static FrozenSet<string> RecordOnly { get; } = new[] { ReasonCode.PositionsReconciled.Value }.ToFrozenSet(StringComparer.Ordinal);

    /// <summary>
    /// Reasons that steer the state machine rather than report a failure (<c>broker.reconnected</c>,
    /// <c>all.healthy</c>, <c>recovery.complete</c>, <c>cold_start</c>); configuration cannot remap them.
    /// </summary>
    public static FrozenSet<string> ControlReasons { get; } = new[]
    {
        ReasonCode.BrokerReconnected.Value, ReasonCode.AllHealthy.Value, ReasonCode.RecoveryComplete.Value, ReasonCode.ColdStart.Value,
    }.ToFrozenSet(StringComparer.Ordinal);
}
