using System.Globalization;

namespace Degradation;

/// <summary>
/// Every threshold of the degradation system (with the documented defaults, see docs/CONFIGURATION.md), the
/// decision matrix, the must-deliver set, per-mode limits and the component registry.
/// No threshold is hard-coded anywhere else. Call <see cref="Validate"/> (done for you by
/// <see cref="DegradationSystem.Create(DegradationOptions?, TimeProvider?)"/> and the hosting package) to reject bad values.
/// </summary>
public sealed class DegradationOptions
{
    /// <summary>The configuration section name used by the hosting package.</summary>
    public const string SectionName = "Degradation";

    // Hysteresis
    /// <summary>Consecutive failures a detector needs before it reports a failure.</summary>
    public int FailThresholdCount { get; set; } = 3;
    /// <summary>Seconds of continuous failure after which a detector reports a failure even below the count.</summary>
    public double FailThresholdSeconds { get; set; } = 5;
    /// <summary>Quiet seconds needed for Degraded → Normal, Recovering/Ready → Normal and for a detector's Recovered verdict.</summary>
    public double RecoveryStableSeconds { get; set; } = 10;
    /// <summary>Minimum seconds in SafeMode / SafeModeDisconnected before leaving them (through Recovering).</summary>
    public double MinSafeModeSeconds { get; set; } = 30;
    /// <summary>A component whose status TTL expired becomes Unknown (never silently Healthy).</summary>
    public bool UnknownOnTtlExpiry { get; set; } = true;
    /// <summary>
    /// Seconds after start after which the hosting package logs a Warning, once per component, while recovery waits on
    /// a critical component that has never reported (naming the two fixes: add a probe, or mark it optional).
    /// </summary>
    public double NeverReportedWarningSeconds { get; set; } = 30;
    /// <summary>Send a warning alert when a component becomes unstable (the hosting package routes it to the registered alert sinks).</summary>
    public bool AlertOnUnstable { get; set; } = true;

    // Component timeouts
    /// <summary>Broker probe timeout in milliseconds.</summary>
    public int BrokerTimeoutMs { get; set; } = 5000;
    /// <summary>Market data older than this is stale (milliseconds).</summary>
    public int MarketDataStaleMs { get; set; } = 10000;
    /// <summary>Risk service timeout in milliseconds.</summary>
    public int RiskTimeoutMs { get; set; } = 2000;
    /// <summary>Consecutive risk timeouts before <c>risk.timeout</c> is reported.</summary>
    public int RiskTimeoutConsecutiveCount { get; set; } = 3;
    /// <summary>Database timeout in milliseconds.</summary>
    public int DbTimeoutMs { get; set; } = 3000;

    // Recovery
    /// <summary>Attempts per recovery stage before <c>recovery.failed</c> (Halt).</summary>
    public int MaxRecoveryAttempts { get; set; } = 3;
    /// <summary>Base of the exponential backoff between recovery attempts, in milliseconds.</summary>
    public int RecoveryBackoffBaseMs { get; set; } = 1000;
    /// <summary>Cap of the recovery backoff, in milliseconds.</summary>
    public int RecoveryBackoffMaxMs { get; set; } = 30000;
    /// <summary>
    /// A fixed schedule of recovery retry delays in milliseconds (the last one repeats), e.g. 10000, 20000, 30000, 60000.
    /// Empty (the default): exponential backoff from <see cref="RecoveryBackoffBaseMs"/> capped at <see cref="RecoveryBackoffMaxMs"/>.
    /// </summary>
    public List<int> RecoveryBackoffScheduleMs { get; set; } = [];
    /// <summary>How often, in seconds, an active component fallback refreshes its data (<see cref="IComponentFallback.RefreshData"/>).</summary>
    public double FallbackRefreshSeconds { get; set; } = 30;
    /// <summary>Timeout of one recovery stage, in milliseconds.</summary>
    public int RecoveryStageTimeoutMs { get; set; } = 30000;
    /// <summary>Recovering/Ready moves to Normal by itself after <see cref="RecoveryStableSeconds"/>; otherwise an operator completes it.</summary>
    public bool AutoRecoveryToNormal { get; set; } = true;

    // DB buffer
    /// <summary>Most entries the write buffer holds (primary bound).</summary>
    public int DbBufferMaxEntries { get; set; } = 1000;
    /// <summary>Most payload bytes the write buffer holds.</summary>
    public long DbBufferMaxBytes { get; set; } = 10_000_000;
    /// <summary>Oldest age, in seconds, of a buffered entry before the buffer counts as overflowing.</summary>
    public double DbBufferMaxSeconds { get; set; } = 60;

    // Event bus
    /// <summary>Capacity of the event bus for non-critical events.</summary>
    public int EventBusQueueSize { get; set; } = 10000;
    /// <summary>Drop non-critical events when the bus is full (counted and recorded). When false the bus keeps them beyond its capacity.</summary>
    public bool EventBusDropOnFull { get; set; } = true;

    // Caches
    /// <summary>Position cache entries older than this are stale (milliseconds).</summary>
    public int PositionCacheStaleMs { get; set; } = 30000;
    /// <summary>Market data cache entries older than this are stale (milliseconds).</summary>
    public int MarketDataCacheStaleMs { get; set; } = 10000;

    // Status
    /// <summary>Default TTL of a component's latest report, in seconds.</summary>
    public int ComponentStatusTtlSeconds { get; set; } = 30;

    // Operator override
    /// <summary>Shortest TTL an operator override may have, in seconds.</summary>
    public int MinOverrideSeconds { get; set; } = 1;
    /// <summary>Longest TTL an operator override may have, in seconds.</summary>
    public int MaxOverrideSeconds { get; set; } = 3600;
    /// <summary>
    /// Kept for configuration compatibility. A condition the override did not acknowledge that demands a
    /// stricter mode than the forced one always ends the override, must-deliver or not; setting this to false
    /// no longer keeps an override in place over such a condition.
    /// </summary>
    public bool MustDeliverBreaksOverride { get; set; } = true;

    /// <summary>How long each kill-switch action may run before it is cancelled and reported as timed out, in seconds.</summary>
    public double KillSwitchActionTimeoutSeconds { get; set; } = 10;

    /// <summary>
    /// Count gate refusals per mode and action (the <c>degradation.gate.denials</c> metric). Off by default: the
    /// count costs a refused <c>Allows</c> about 1.5 ns (0.4 ns → 2 ns); allowed calls are unaffected.
    /// </summary>
    public bool CountGateDenials { get; set; }

    // State machine housekeeping
    /// <summary>How many transitions the in-memory history keeps.</summary>
    public int TransitionHistorySize { get; set; } = 1000;
    /// <summary>How often, in milliseconds, dwell, stability, TTL and override expiry are re-evaluated.</summary>
    public int TickIntervalMs { get; set; } = 100;

    /// <summary>
    /// Additions and changes to the decision matrix (reason string → mode), merged over the built-in matrix.
    /// Mapping a built-in reason to a less strict mode than its built-in row is refused at start, naming the
    /// key, unless the reason is listed in <see cref="AllowLoosening"/>. The control reasons
    /// (<c>broker.reconnected</c>, <c>all.healthy</c>, <c>recovery.complete</c>, <c>cold_start</c>) cannot be remapped.
    /// </summary>
    public Dictionary<string, SystemMode> DecisionMatrix { get; set; } = new(StringComparer.Ordinal);

    /// <summary>
    /// Built-in reasons that <see cref="DecisionMatrix"/> may deliberately map to a less strict mode. Each one
    /// used is logged at Warning on every start, so a loosened safety rule is never silent.
    /// </summary>
    public HashSet<string> AllowLoosening { get; set; } = new(StringComparer.Ordinal);

    /// <summary>Reasons that take the must-deliver path (fail closed before <c>Publish</c> returns, never dropped). Extra reasons add to the four built-in ones.</summary>
    public HashSet<string> MustDeliverReasons { get; set; } = new(StringComparer.Ordinal);

    /// <summary>Components beyond (or overriding) the well-known ones, by name.</summary>
    public Dictionary<string, ComponentOptions> Components { get; set; } = new(StringComparer.Ordinal);

    /// <summary>
    /// Per-mode trading limits. Defaults: Degraded caps order quantity at 50, keeps a cash reserve of 1,000 and prefers
    /// closing positions (see <see cref="Degradation.TradingLimits.Check"/>).
    /// </summary>
    public Dictionary<SystemMode, TradingLimits> TradingLimits { get; set; } = new()
    {
        [SystemMode.Degraded] = new TradingLimits { MaxOrderQuantity = 50, MinCashReserve = 1000, PreferClosing = true },
    };

    /// <summary>Tightens the permission matrix: actions refused in a mode on top of the default matrix. Nothing can be loosened.</summary>
    public Dictionary<SystemMode, List<ActionType>> DeniedActions { get; set; } = new();

    /// <summary>How the mode and critical failures drive feature degradation levels (used by <see cref="FeatureLevelDriver"/>).</summary>
    public FeatureLevelOptions FeatureLevels { get; set; } = new();

    /// <summary>Alert channel routes, acknowledgement deadlines per severity and the escalation channel (used by the hosting package's <see cref="AlertRouter"/>).</summary>
    public AlertChannelOptions AlertChannels { get; set; } = new();

    /// <summary>Checks every value and returns one message per invalid option (empty when valid).</summary>
    public IReadOnlyList<string> Validate()
    {
        var errors = new List<string>();
        Positive(errors, nameof(FailThresholdCount), FailThresholdCount);
        Seconds(errors, nameof(FailThresholdSeconds), FailThresholdSeconds, allowZero: false);
        Seconds(errors, nameof(RecoveryStableSeconds), RecoveryStableSeconds, allowZero: true);
        Seconds(errors, nameof(MinSafeModeSeconds), MinSafeModeSeconds, allowZero: true);
        Seconds(errors, nameof(NeverReportedWarningSeconds), NeverReportedWarningSeconds, allowZero: false);
        Positive(errors, nameof(BrokerTimeoutMs), BrokerTimeoutMs);
        Positive(errors, nameof(MarketDataStaleMs), MarketDataStaleMs);
        Positive(errors, nameof(RiskTimeoutMs), RiskTimeoutMs);
        Positive(errors, nameof(RiskTimeoutConsecutiveCount), RiskTimeoutConsecutiveCount);
        Positive(errors, nameof(DbTimeoutMs), DbTimeoutMs);
        Positive(errors, nameof(MaxRecoveryAttempts), MaxRecoveryAttempts);
        Positive(errors, nameof(RecoveryBackoffBaseMs), RecoveryBackoffBaseMs);
        Positive(errors, nameof(RecoveryBackoffMaxMs), RecoveryBackoffMaxMs);
        if (RecoveryBackoffScheduleMs is null) errors.Add($"{nameof(RecoveryBackoffScheduleMs)} must not be null.");
        else
        {
            if (RecoveryBackoffScheduleMs.Count > 100) errors.Add($"{nameof(RecoveryBackoffScheduleMs)} has {Format(RecoveryBackoffScheduleMs.Count)} delays; at most 100.");
            for (var i = 0; i < RecoveryBackoffScheduleMs.Count; i++)
                if (RecoveryBackoffScheduleMs[i] <= 0)
                    errors.Add($"{nameof(RecoveryBackoffScheduleMs)}[{Format(i)}] must be > 0 (was {Format(RecoveryBackoffScheduleMs[i])}).");
        }
        if (!(FallbackRefreshSeconds > 0) || !double.IsFinite(FallbackRefreshSeconds))
            errors.Add($"{nameof(FallbackRefreshSeconds)} must be > 0 (was {FallbackRefreshSeconds.ToString(CultureInfo.InvariantCulture)}).");
        if (RecoveryBackoffMaxMs < RecoveryBackoffBaseMs && RecoveryBackoffBaseMs > 0 && RecoveryBackoffMaxMs > 0)
            errors.Add($"{nameof(RecoveryBackoffMaxMs)} ({Format(RecoveryBackoffMaxMs)}) must not be below {nameof(RecoveryBackoffBaseMs)} ({Format(RecoveryBackoffBaseMs)}).");
        Positive(errors, nameof(RecoveryStageTimeoutMs), RecoveryStageTimeoutMs);
        Positive(errors, nameof(DbBufferMaxEntries), DbBufferMaxEntries);
        Positive(errors, nameof(DbBufferMaxBytes), DbBufferMaxBytes);
        Seconds(errors, nameof(DbBufferMaxSeconds), DbBufferMaxSeconds, allowZero: false);
        Positive(errors, nameof(EventBusQueueSize), EventBusQueueSize);
        Positive(errors, nameof(PositionCacheStaleMs), PositionCacheStaleMs);
        Positive(errors, nameof(MarketDataCacheStaleMs), MarketDataCacheStaleMs);
        Positive(errors, nameof(ComponentStatusTtlSeconds), ComponentStatusTtlSeconds);
        Positive(errors, nameof(MinOverrideSeconds), MinOverrideSeconds);
        Positive(errors, nameof(MaxOverrideSeconds), MaxOverrideSeconds);
        if (MaxOverrideSeconds < MinOverrideSeconds && MinOverrideSeconds > 0 && MaxOverrideSeconds > 0)
            errors.Add($"{nameof(MaxOverrideSeconds)} ({Format(MaxOverrideSeconds)}) must not be below {nameof(MinOverrideSeconds)} ({Format(MinOverrideSeconds)}).");
        Positive(errors, nameof(TransitionHistorySize), TransitionHistorySize);
        Seconds(errors, nameof(KillSwitchActionTimeoutSeconds), KillSwitchActionTimeoutSeconds, allowZero: false);
        Positive(errors, nameof(TickIntervalMs), TickIntervalMs);

        NotNull(errors, nameof(DecisionMatrix), DecisionMatrix);
        NotNull(errors, nameof(MustDeliverReasons), MustDeliverReasons);
        NotNull(errors, nameof(Components), Components);
        NotNull(errors, nameof(TradingLimits), TradingLimits);
        NotNull(errors, nameof(DeniedActions), DeniedActions);
        foreach (var (reason, mode) in DecisionMatrix ?? [])
        {
            if (string.IsNullOrWhiteSpace(reason))
                errors.Add($"{nameof(DecisionMatrix)} has an empty reason code.");
            else if (!Enum.IsDefined(mode))
                errors.Add($"{nameof(DecisionMatrix)}:{reason} has unknown mode '{Format((int)mode)}'.");
            else if (DefaultDecisionMatrix.ControlReasons.Contains(reason))
                errors.Add($"{nameof(DecisionMatrix)}:{reason} is a control reason and cannot be remapped.");
            else if (DefaultDecisionMatrix.Entries.TryGetValue(reason, out var builtIn)
                     && ModeTransition.Restrictiveness(mode) < ModeTransition.Restrictiveness(builtIn)
                     && !(AllowLoosening?.Contains(reason) ?? false))
                errors.Add($"{nameof(DecisionMatrix)}:{reason} maps a built-in reason to {mode}, less strict than its built-in {builtIn}; "
                    + $"to accept that on purpose list '{reason}' in {nameof(AllowLoosening)} (it is then logged at Warning on every start).");
            else if (DefaultDecisionMatrix.RecordOnly.Contains(reason) && mode is SystemMode.Normal or SystemMode.Recovering
                     && !(AllowLoosening?.Contains(reason) ?? false))
                errors.Add($"{nameof(DecisionMatrix)}:{reason} maps a record-only reason to {mode}, which would let it loosen the mode by itself; "
                    + $"to accept that on purpose list '{reason}' in {nameof(AllowLoosening)} (it is then logged at Warning on every start).");
        }
        NotNull(errors, nameof(AllowLoosening), AllowLoosening);
        foreach (var reason in MustDeliverReasons ?? [])
        {
            if (string.IsNullOrWhiteSpace(reason)) errors.Add($"{nameof(MustDeliverReasons)} has an empty reason code.");
        }
        foreach (var (name, component) in Components ?? [])
        {
            if (string.IsNullOrWhiteSpace(name)) { errors.Add($"{nameof(Components)} has an empty component name."); continue; }
            if (component is null) { errors.Add($"{nameof(Components)}:{name} is null."); continue; }
            if (component.StatusTtlSeconds is { } ttl)
                Seconds(errors, $"{nameof(Components)}:{name}:{nameof(ComponentOptions.StatusTtlSeconds)}", ttl, allowZero: false);
            if (component.TimeoutReason is { } tr && string.IsNullOrWhiteSpace(tr))
                errors.Add($"{nameof(Components)}:{name}:{nameof(ComponentOptions.TimeoutReason)} must not be blank.");
        }
        foreach (var (mode, limits) in TradingLimits ?? [])
        {
            if (!Enum.IsDefined(mode)) { errors.Add($"{nameof(TradingLimits)} has unknown mode '{Format((int)mode)}'."); continue; }
            if (limits is null) { errors.Add($"{nameof(TradingLimits)}:{mode} is null."); continue; }
            if (limits.MaxOrderQuantity is { } q && q <= 0)
                errors.Add($"{nameof(TradingLimits)}:{mode}:{nameof(Degradation.TradingLimits.MaxOrderQuantity)} must be > 0 (was {q.ToString(CultureInfo.InvariantCulture)}).");
            if (limits.MaxOpenPositions is { } p && p < 0)
                errors.Add($"{nameof(TradingLimits)}:{mode}:{nameof(Degradation.TradingLimits.MaxOpenPositions)} must be >= 0 (was {Format(p)}).");
            if (limits.MinCashReserve is { } r && r < 0)
                errors.Add($"{nameof(TradingLimits)}:{mode}:{nameof(Degradation.TradingLimits.MinCashReserve)} must be >= 0 (was {r.ToString(CultureInfo.InvariantCulture)}).");
        }
        if (FeatureLevels is null) errors.Add($"{nameof(FeatureLevels)} must not be null.");
        else errors.AddRange(FeatureLevels.Validate().Select(e => $"{nameof(FeatureLevels)}:{e}"));
        if (AlertChannels is null) errors.Add($"{nameof(AlertChannels)} must not be null.");
        else errors.AddRange(AlertChannels.Validate().Select(e => $"{nameof(AlertChannels)}:{e}"));
        foreach (var (mode, actions) in DeniedActions ?? [])
        {
            if (!Enum.IsDefined(mode)) { errors.Add($"{nameof(DeniedActions)} has unknown mode '{Format((int)mode)}'."); continue; }
            foreach (var action in actions ?? [])
                if (!Enum.IsDefined(action)) errors.Add($"{nameof(DeniedActions)}:{mode} has unknown action '{Format((int)action)}'.");
        }
        return errors;
    }

    /// <summary>A shallow copy, the basis of a scope's own options (the scope tree replaces its components).</summary>
    internal DegradationOptions CopyForScope() => (DegradationOptions)MemberwiseClone();

    /// <summary>Throws <see cref="DegradationOptionsException"/> naming every invalid option.</summary>
    public void ValidateAndThrow()
    {
        var errors = Validate();
        if (errors.Count > 0) throw new DegradationOptionsException(errors);
    }

    private static void Positive(List<string> errors, string name, double value)
    {
        if (!(value > 0) || !double.IsFinite(value)) errors.Add($"{name} must be > 0 (was {Format(value)}).");
    }

    // A duration in seconds must also fit a TimeSpan, or compiling the policy would overflow.
    private static void Seconds(List<string> errors, string name, double value, bool allowZero)
    {
        if (allowZero ? !(value >= 0) : !(value > 0))
            errors.Add($"{name} must be {(allowZero ? ">=" : ">")} 0 (was {Format(value)}).");
        else if (!(value <= MaxSeconds))
            errors.Add($"{name} must be at most {Format(MaxSeconds)} seconds (was {Format(value)}).");
    }

    private static void NotNull(List<string> errors, string name, object? value)
    {
        if (value is null) errors.Add($"{name} must not be null.");
    }

    private const double MaxSeconds = 10.0 * 365 * 24 * 3600; // ten years: far beyond any sane threshold, well inside TimeSpan

    private static string Format(double value) => value.ToString(CultureInfo.InvariantCulture);
}
