using System.Diagnostics.CodeAnalysis;

namespace Degradation;

/// <summary>
/// Why an event happened or a transition was made. Extensible: the well-known codes below carry
/// their documented snake_case string forms, and applications define their own (map them to a mode in
/// <see cref="DegradationOptions.DecisionMatrix"/>). Compared by ordinal string value.
/// </summary>
public readonly struct ReasonCode : IEquatable<ReasonCode>
{
    private readonly string? _value;

    /// <summary>Creates a reason code from its string form, e.g. <c>"orderbook.gap"</c>.</summary>
    /// <exception cref="ArgumentException"><paramref name="value"/> is null, empty or white space.</exception>
    public ReasonCode(string value)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(value);
        _value = value;
    }

    /// <summary>The string form; empty for <c>default</c>.</summary>
    public string Value => _value ?? string.Empty;

    /// <summary>True for <c>default(ReasonCode)</c>, which names no reason.</summary>
    public bool IsEmpty => _value is null;

    /// <summary>The broker connection was lost (must-deliver).</summary>
    public static readonly ReasonCode BrokerDisconnect = new("broker.disconnect");
    /// <summary>The broker connection is back; starts a recovery run.</summary>
    public static readonly ReasonCode BrokerReconnected = new("broker.reconnected");
    /// <summary>Broker reports and local positions disagree (must-deliver, Halt).</summary>
    public static readonly ReasonCode BrokerMismatch = new("broker.mismatch");
    /// <summary>Market data is stale.</summary>
    public static readonly ReasonCode MarketDataStale = new("market_data.stale");
    /// <summary>Market data quality is low.</summary>
    public static readonly ReasonCode MarketDataQualityLow = new("market_data.quality_low");
    /// <summary>The risk service timed out repeatedly.</summary>
    public static readonly ReasonCode RiskTimeout = new("risk.timeout");
    /// <summary>A hard risk limit was breached (must-deliver, Halt).</summary>
    public static readonly ReasonCode RiskBreachHard = new("risk.breach_hard");
    /// <summary>The true position is unknown (must-deliver, Halt).</summary>
    public static readonly ReasonCode PositionUnknown = new("position.unknown");
    /// <summary>A database write failed and was buffered.</summary>
    public static readonly ReasonCode DbWriteFailBuffered = new("db.write_fail_buffered");
    /// <summary>The write buffer hit a bound.</summary>
    public static readonly ReasonCode DbBufferOverflow = new("db.buffer_overflow");
    /// <summary>The alerting channel is down.</summary>
    public static readonly ReasonCode AlertsChannelDown = new("alerts.channel_down");
    /// <summary>Recovery failed after the maximum number of attempts (Halt).</summary>
    public static readonly ReasonCode RecoveryFailed = new("recovery.failed");
    /// <summary>A recovery run completed.</summary>
    public static readonly ReasonCode RecoveryComplete = new("recovery.complete");
    /// <summary>Every component is healthy: clears every component's conditions.</summary>
    public static readonly ReasonCode AllHealthy = new("all.healthy");
    /// <summary>The process started.</summary>
    public static readonly ReasonCode ColdStart = new("cold_start");
    /// <summary>An operator forced a mode.</summary>
    public static readonly ReasonCode ForceOverride = new("force_override");
    /// <summary>A heartbeat that carried no reason of its own.</summary>
    public static readonly ReasonCode ComponentHeartbeat = new("component.heartbeat");
    /// <summary>A recovery that carried no reason of its own.</summary>
    public static readonly ReasonCode ComponentRecovered = new("component.recovered");
    /// <summary>A critical component was silent for longer than its status TTL.</summary>
    public static readonly ReasonCode ComponentStale = new("component.stale");
    /// <summary>A recovery run passed a stage.</summary>
    public static readonly ReasonCode RecoveryStageAdvanced = new("recovery.stage");
    /// <summary>An operator started a recovery run.</summary>
    public static readonly ReasonCode RecoveryManual = new("recovery.manual");
    /// <summary>An override reached the end of its TTL.</summary>
    public static readonly ReasonCode OverrideExpired = new("override.expired");
    /// <summary>An operator released an override.</summary>
    public static readonly ReasonCode OverrideReleased = new("override.released");
    /// <summary>An operator released a Halt.</summary>
    public static readonly ReasonCode HaltReleased = new("halt.released");
    /// <summary>An operator halted the system (the kill switch); cleared only by a Halt release.</summary>
    public static readonly ReasonCode OperatorHalt = new("operator.halt");
    /// <summary>An operator replaced the active override with a new one.</summary>
    public static readonly ReasonCode OverrideReplaced = new("override.replaced");
    /// <summary>
    /// A position reconciliation found local positions and the broker's in agreement. Recorded (component status, audit)
    /// but, unless <see cref="DegradationOptions.DecisionMatrix"/> maps it, it changes no condition: agreement alone
    /// never loosens the mode.
    /// </summary>
    public static readonly ReasonCode PositionsReconciled = new("positions_reconciled");
    /// <summary>A critical component never reported: the system cannot know it is safe to trade.</summary>
    public static readonly ReasonCode ComponentUnknown = new("component.unknown");

    /// <inheritdoc />
    public bool Equals(ReasonCode other) =>
        ReferenceEquals(_value, other._value) || string.Equals(_value, other._value, StringComparison.Ordinal);

    /// <inheritdoc />
    public override bool Equals([NotNullWhen(true)] object? obj) => obj is ReasonCode other && Equals(other);

    /// <inheritdoc />
    public override int GetHashCode() => _value is null ? 0 : StringComparer.Ordinal.GetHashCode(_value);

    /// <summary>The string form.</summary>
    public override string ToString() => Value;

    /// <summary>Ordinal equality.</summary>
    public static bool operator ==(ReasonCode left, ReasonCode right) => left.Equals(right);

    /// <summary>Ordinal inequality.</summary>
    public static bool operator !=(ReasonCode left, ReasonCode right) => !left.Equals(right);

    /// <summary>Creates a reason code from its string form.</summary>
    public static explicit operator ReasonCode(string value) => new(value);
}
