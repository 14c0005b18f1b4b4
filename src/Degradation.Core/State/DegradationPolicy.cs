using System.Collections.Frozen;

namespace Degradation.State;

/// <summary>
/// The immutable, validated form of <see cref="DegradationOptions"/> that every part of the system reads:
/// merged decision matrix, must-deliver set, component registry, per-mode limits and permission masks.
/// </summary>
public sealed class DegradationPolicy
{
    private readonly FrozenDictionary<string, SystemMode> _matrix;
    private readonly FrozenSet<string> _mustDeliver;
    private readonly FrozenDictionary<string, ComponentOptions> _components;
    private readonly TradingLimits?[] _limits = new TradingLimits?[6];
    private readonly byte[] _deniedMasks = new byte[6];

    /// <summary>
    /// Validates <paramref name="options"/> and compiles a frozen copy of them: changing <paramref name="options"/>
    /// afterwards changes nothing.
    /// </summary>
    /// <exception cref="DegradationOptionsException">An option is invalid; the message names it.</exception>
    public DegradationPolicy(DegradationOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.ValidateAndThrow();
        options = options.Freeze();
        Options = options;

        var matrix = new Dictionary<string, SystemMode>(DefaultDecisionMatrix.Entries, StringComparer.Ordinal);
        var loosened = new List<string>();
        foreach (var (reason, mode) in options.DecisionMatrix)
        {
            if (DefaultDecisionMatrix.Entries.TryGetValue(reason, out var builtIn) && ModeTransition.Restrictiveness(mode) < ModeTransition.Restrictiveness(builtIn))
                loosened.Add($"{reason}: {WireNames.Of(builtIn)} -> {WireNames.Of(mode)}");
            else if (DefaultDecisionMatrix.RecordOnly.Contains(reason) && mode is SystemMode.Normal or SystemMode.Recovering)
                loosened.Add($"{reason}: record only -> {WireNames.Of(mode)}");
            matrix[reason] = mode;
        }
        LoosenedReasons = loosened;
        _matrix = matrix.ToFrozenDictionary(StringComparer.Ordinal);

        var mustDeliver = new HashSet<string>(DefaultDecisionMatrix.MustDeliver, StringComparer.Ordinal);
        mustDeliver.UnionWith(options.MustDeliverReasons);
        _mustDeliver = mustDeliver.ToFrozenSet(StringComparer.Ordinal);

        var components = new Dictionary<string, ComponentOptions>(StringComparer.Ordinal);
        foreach (var name in WellKnownComponentNames) components[name] = DefaultComponentOptions(name)!;
        foreach (var (name, component) in options.Components)
        {
            // A registration of a well-known component keeps the defaults it does not set (timeout reason, category).
            var defaults = DefaultComponentOptions(name);
            components[name] = defaults is null ? component : new ComponentOptions
            {
                Critical = component.Critical,
                StatusTtl = component.StatusTtl,
                TimeoutReason = component.TimeoutReason ?? defaults.TimeoutReason,
                Fallback = component.Fallback ?? defaults.Fallback,
                Category = component.Category ?? defaults.Category,
            };
        }
        // Registrations are handed out by GetComponent: frozen, so nobody changes a running system's registry by accident.
        _components = components.ToFrozenDictionary(c => c.Key, c => c.Value.IsFrozen ? c.Value : (ComponentOptions)c.Value.Copy(frozen: true, $"{DegradationOptions.SectionName}:{nameof(DegradationOptions.Components)}:{c.Key}"), StringComparer.Ordinal);

        foreach (var (mode, limits) in options.TradingLimits) _limits[(int)mode] = limits;
        foreach (var (mode, actions) in options.DeniedActions)
            foreach (var action in actions) _deniedMasks[(int)mode] |= (byte)(1 << (int)action);

        StatusTtl = options.Status.ComponentTtl;
        RecoveryStable = options.Recovery.StablePeriod;
        MinSafeMode = options.SafeMode.MinDwell;
        MinOverride = options.Operator.MinOverrideTtl;
        MaxOverride = options.Operator.MaxOverrideTtl;
    }

    private static readonly string[] WellKnownComponentNames =
        [ComponentId.Broker.Name, ComponentId.MarketData.Name, ComponentId.Risk.Name, ComponentId.Db.Name, ComponentId.Alerts.Name];

    /// <summary>
    /// A fresh copy of the default registration of a well-known component (broker, market_data and risk
    /// critical; db and alerts optional; each with its default timeout reason), or null for any other name.
    /// </summary>
    public static ComponentOptions? DefaultComponentOptions(string name) => name switch
    {
        "broker" => new() { Critical = true, Category = "broker", TimeoutReason = ReasonCode.BrokerDisconnect.Value },
        "market_data" => new() { Critical = true, Category = "market data", TimeoutReason = ReasonCode.MarketDataStale.Value },
        "risk" => new() { Critical = true, Category = "risk", TimeoutReason = ReasonCode.RiskTimeout.Value },
        "db" => new() { Critical = false, Category = "storage", TimeoutReason = ReasonCode.DbWriteFailBuffered.Value },
        "alerts" => new() { Critical = false, Category = "alerting", TimeoutReason = ReasonCode.AlertsChannelDown.Value },
        _ => null,
    };

    /// <summary>The validated options this policy was compiled from: a frozen copy whose setters throw (its collections are copies the policy no longer reads).</summary>
    public DegradationOptions Options { get; }
    /// <summary>Default component status TTL.</summary>
    public TimeSpan StatusTtl { get; }
    /// <summary>Quiet time needed before returning to Normal.</summary>
    public TimeSpan RecoveryStable { get; }
    /// <summary>Minimum dwell in SafeMode / SafeModeDisconnected.</summary>
    public TimeSpan MinSafeMode { get; }
    /// <summary>Shortest override TTL.</summary>
    public TimeSpan MinOverride { get; }
    /// <summary>Longest override TTL.</summary>
    public TimeSpan MaxOverride { get; }

    /// <summary>
    /// The built-in reasons the configuration deliberately maps to a less strict mode (allowed through
    /// <see cref="DegradationOptions.AllowLoosening"/>), each as <c>reason: built-in -> configured</c>; hosts log them at Warning on every start.
    /// </summary>
    public IReadOnlyList<string> LoosenedReasons { get; }

    /// <summary>The merged decision matrix.</summary>
    public IReadOnlyDictionary<string, SystemMode> DecisionMatrix => _matrix;
    /// <summary>The merged must-deliver set.</summary>
    public IReadOnlySet<string> MustDeliverReasons => _mustDeliver;
    /// <summary>Every registered component (well-known ones included).</summary>
    public IReadOnlyDictionary<string, ComponentOptions> Components => _components;

    /// <summary>True when <paramref name="reason"/> takes the must-deliver path.</summary>
    public bool IsMustDeliver(ReasonCode reason) => !reason.IsEmpty && _mustDeliver.Contains(reason.Value);

    /// <summary>The mode the decision matrix maps <paramref name="reason"/> to, if it has an entry.</summary>
    public bool TryMapReason(ReasonCode reason, out SystemMode mode)
    {
        if (reason.IsEmpty) { mode = default; return false; }
        return _matrix.TryGetValue(reason.Value, out mode);
    }

    /// <summary>
    /// True when <paramref name="reason"/> is only recorded (see <see cref="DefaultDecisionMatrix.RecordOnly"/>): it is
    /// record-only by default and the options do not map it.
    /// </summary>
    public bool IsRecordOnly(ReasonCode reason) =>
        !reason.IsEmpty && DefaultDecisionMatrix.RecordOnly.Contains(reason.Value) && !_matrix.ContainsKey(reason.Value);

    /// <summary>
    /// The mode a failure event maps to: the matrix entry, or for a reason the matrix does not know,
    /// SafeMode for <see cref="EventType.FailCritical"/> and Degraded otherwise (fail safe).
    /// </summary>
    public SystemMode MapFailure(ReasonCode reason, EventType type) =>
        TryMapReason(reason, out var mode) ? mode : type == EventType.FailCritical ? SystemMode.SafeMode : SystemMode.Degraded;

    /// <summary>The registration of <paramref name="component"/>, or null when it was never registered.</summary>
    public ComponentOptions? GetComponent(ComponentId component) =>
        !component.IsEmpty && _components.TryGetValue(component.Name, out var c) ? c : null;

    /// <summary>The trading limits configured for <paramref name="mode"/>, if any.</summary>
    public TradingLimits? GetLimits(SystemMode mode) => (uint)mode < 6 ? _limits[(int)mode] : null;

    /// <summary>Bit mask of actions the options deny in <paramref name="mode"/> on top of the matrix.</summary>
    internal byte DeniedMask(SystemMode mode) => (uint)mode < 6 ? _deniedMasks[(int)mode] : (byte)0xFF;
}
