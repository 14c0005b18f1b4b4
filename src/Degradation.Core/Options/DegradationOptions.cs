using System.ComponentModel.DataAnnotations;

namespace Degradation;

/// <summary>
/// Every threshold of the degradation system, grouped by concern (<see cref="Probes"/>, <see cref="Status"/>,
/// <see cref="Recovery"/>, <see cref="SafeMode"/>, <see cref="Buffer"/>, ...), plus the decision matrix, the must-deliver
/// set, per-mode limits and the component registry; the defaults are listed in docs/CONFIGURATION.md. No threshold is
/// hard-coded anywhere else. Durations are <see cref="TimeSpan"/>s (<c>"00:00:30"</c> in configuration).
/// <see cref="DegradationSystem.Create(DegradationOptions?, TimeProvider?)"/> validates the options once and runs on a
/// frozen copy: changing this object afterwards changes nothing, and the copy the system exposes refuses changes (its
/// setters throw naming the key, its maps, sets and lists are read-only).
/// </summary>
public sealed class DegradationOptions : OptionsSection, IValidatableObject
{
    /// <summary>The configuration section name used by the hosting package.</summary>
    public const string SectionName = "Degradation";

    /// <summary>How probes decide: failure hysteresis and the well-known components' timeouts.</summary>
    public ProbeOptions Probes { get; set => field = Settable(value); } = new();

    /// <summary>How long component reports stay valid.</summary>
    public StatusOptions Status { get; set => field = Settable(value); } = new();

    /// <summary>Staged recovery: quiet time, stage timeout, attempts and backoff.</summary>
    public RecoveryOptions Recovery { get; set => field = Settable(value); } = new();

    /// <summary>SafeMode dwell.</summary>
    public SafeModeOptions SafeMode { get; set => field = Settable(value); } = new();

    /// <summary>Component fallbacks while their component is down.</summary>
    public FallbackOptions Fallbacks { get; set => field = Settable(value); } = new();

    /// <summary>Bounds of the write buffer for failed database writes.</summary>
    public BufferOptions Buffer { get; set => field = Settable(value); } = new();

    /// <summary>The event bus.</summary>
    public EventBusOptions EventBus { get; set => field = Settable(value); } = new();

    /// <summary>Staleness of the position and market data caches.</summary>
    public CacheOptions Caches { get; set => field = Settable(value); } = new();

    /// <summary>Operator override bounds and the kill switch.</summary>
    public OperatorOptions Operator { get; set => field = Settable(value); } = new();

    /// <summary>Which conditions raise alerts.</summary>
    public AlertOptions Alerts { get; set => field = Settable(value); } = new();

    /// <summary>The trading gate.</summary>
    public GateOptions Gate { get; set => field = Settable(value); } = new();

    /// <summary>State machine housekeeping.</summary>
    public StateMachineOptions StateMachine { get; set => field = Settable(value); } = new();

    /// <summary>How the mode and critical failures drive feature degradation levels (used by <see cref="Features.FeatureLevelDriver"/>).</summary>
    public Features.FeatureLevelOptions FeatureLevels { get; set => field = Settable(value); } = new();

    /// <summary>Alert channel routes, acknowledgement deadlines per severity and the escalation channel of the alert router.</summary>
    public Alerts.AlertChannelOptions AlertChannels { get; set => field = Settable(value); } = new();

    /// <summary>
    /// Additions and changes to the decision matrix (reason string → mode), merged over the built-in matrix.
    /// Mapping a built-in reason to a less strict mode than its built-in row is refused at start, naming the
    /// key, unless the reason is listed in <see cref="AllowLoosening"/>. The control reasons
    /// (<c>broker.reconnected</c>, <c>all.healthy</c>, <c>recovery.complete</c>, <c>cold_start</c>) cannot be remapped.
    /// </summary>
    public IDictionary<string, SystemMode> DecisionMatrix { get; set => field = Settable(value); } = new Dictionary<string, SystemMode>(StringComparer.Ordinal);

    /// <summary>
    /// Built-in reasons that <see cref="DecisionMatrix"/> may deliberately map to a less strict mode. Each one
    /// used is logged at Warning on every start, so a loosened safety rule is never silent.
    /// </summary>
    public ISet<string> AllowLoosening { get; set => field = Settable(value); } = new HashSet<string>(StringComparer.Ordinal);

    /// <summary>Reasons that take the must-deliver path (fail closed before <c>Publish</c> returns, never dropped). Extra reasons add to the four built-in ones.</summary>
    public ISet<string> MustDeliverReasons { get; set => field = Settable(value); } = new HashSet<string>(StringComparer.Ordinal);

    /// <summary>Components beyond (or overriding) the well-known ones, by name.</summary>
    public IDictionary<string, ComponentOptions> Components { get; set => field = Settable(value); } = new Dictionary<string, ComponentOptions>(StringComparer.Ordinal);

    /// <summary>
    /// Per-mode trading limits. Defaults: Degraded caps order quantity at 50, keeps a cash reserve of 1,000 and prefers
    /// closing positions (see <see cref="Degradation.TradingLimits.Check"/>).
    /// </summary>
    public IDictionary<SystemMode, TradingLimits> TradingLimits { get; set => field = Settable(value); } = new Dictionary<SystemMode, TradingLimits>
    {
        [SystemMode.Degraded] = new TradingLimits { MaxOrderQuantity = 50, MinCashReserve = 1000, PreferClosing = true },
    };

    /// <summary>Tightens the permission matrix: actions refused in a mode on top of the default matrix. Nothing can be loosened.</summary>
    public IDictionary<SystemMode, IList<ActionType>> DeniedActions { get; set => field = Settable(value); } = new Dictionary<SystemMode, IList<ActionType>>();

    /// <summary>
    /// Checks every value and returns one message per invalid option (empty when valid), each naming the key path
    /// (<c>Degradation:Recovery:StageTimeout</c>) and the bad value.
    /// </summary>
    public IReadOnlyList<string> Validate() => OptionsValidation.Validate(this, SectionName);

    /// <summary>Throws <see cref="DegradationOptionsException"/> naming every invalid option.</summary>
    public void ValidateAndThrow()
    {
        var errors = Validate();
        if (errors.Count > 0) throw new DegradationOptionsException(errors);
    }

    /// <summary>The cross-field and collection rules (the per-value rules are attributes on the sections' properties).</summary>
    IEnumerable<ValidationResult> IValidatableObject.Validate(ValidationContext validationContext)
    {
        ArgumentNullException.ThrowIfNull(validationContext);
        return DegradationOptionsRules.Check(this, OptionsKey.Prefix(validationContext)).Select(e => new ValidationResult(e));
    }

    /// <summary>The sections by configuration name, in order.</summary>
    internal IEnumerable<(string Name, OptionsSection? Section)> Sections()
    {
        yield return (nameof(Probes), Probes);
        yield return (nameof(Status), Status);
        yield return (nameof(Recovery), Recovery);
        yield return (nameof(SafeMode), SafeMode);
        yield return (nameof(Fallbacks), Fallbacks);
        yield return (nameof(Buffer), Buffer);
        yield return (nameof(EventBus), EventBus);
        yield return (nameof(Caches), Caches);
        yield return (nameof(Operator), Operator);
        yield return (nameof(Alerts), Alerts);
        yield return (nameof(Gate), Gate);
        yield return (nameof(StateMachine), StateMachine);
        yield return (nameof(FeatureLevels), FeatureLevels);
        yield return (nameof(AlertChannels), AlertChannels);
    }

    /// <summary>A frozen deep copy: what a running system exposes. Validate first.</summary>
    internal DegradationOptions Freeze() => (DegradationOptions)Copy(frozen: true, SectionName);

    /// <summary>An unfrozen deep copy, the basis of a scope's own options (the scope tree replaces its components).</summary>
    internal DegradationOptions CopyForScope() => (DegradationOptions)Copy(frozen: false);

    private protected override void CopyMembers(bool frozen)
    {
        Probes = CopyOf(Probes, frozen, nameof(Probes));
        Status = CopyOf(Status, frozen, nameof(Status));
        Recovery = CopyOf(Recovery, frozen, nameof(Recovery));
        SafeMode = CopyOf(SafeMode, frozen, nameof(SafeMode));
        Fallbacks = CopyOf(Fallbacks, frozen, nameof(Fallbacks));
        Buffer = CopyOf(Buffer, frozen, nameof(Buffer));
        EventBus = CopyOf(EventBus, frozen, nameof(EventBus));
        Caches = CopyOf(Caches, frozen, nameof(Caches));
        Operator = CopyOf(Operator, frozen, nameof(Operator));
        Alerts = CopyOf(Alerts, frozen, nameof(Alerts));
        Gate = CopyOf(Gate, frozen, nameof(Gate));
        StateMachine = CopyOf(StateMachine, frozen, nameof(StateMachine));
        FeatureLevels = CopyOf(FeatureLevels, frozen, nameof(FeatureLevels));
        AlertChannels = CopyOf(AlertChannels, frozen, nameof(AlertChannels));
        DecisionMatrix = CopyOf(DecisionMatrix, frozen);
        AllowLoosening = CopyOf(AllowLoosening, frozen);
        MustDeliverReasons = CopyOf(MustDeliverReasons, frozen);
        Components = CopyOf(Components, frozen, (name, component) => CopyOf(component, frozen, $"{nameof(Components)}:{name}"));
        TradingLimits = CopyOf(TradingLimits, frozen, (mode, limits) => CopyOf(limits, frozen, $"{nameof(TradingLimits)}:{mode}"));
        DeniedActions = CopyOf(DeniedActions, frozen, (_, actions) => CopyOf(actions, frozen));
    }
}
