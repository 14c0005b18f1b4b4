namespace Degradation.Scopes;

/// <summary>
/// One scope's effective view: the strictest of its own mode and every ancestor's, precomputed by the scope tree's
/// writer whenever the scope or an ancestor changes. An action is allowed only when the scope and every ancestor
/// allow it; a refusal carries the decision of the scope that refuses (the nearest ancestor first).
/// Immutable: readers take it with one volatile read and never see a torn combination.
/// </summary>
public sealed class ScopeSnapshot
{
    private readonly GateDecision[] _decisions;
    private readonly GateDecision _unknownAction;

    private ScopeSnapshot(TradingScope scope, GateSnapshot own, TradingScope governing, SystemMode mode, RecoveryStage? stage,
        ReasonCode reason, byte allowedMask, GateDecision[] decisions, long version)
    {
        Scope = scope;
        Own = own;
        Governing = governing;
        Mode = mode;
        Stage = stage;
        Reason = reason;
        AllowedMask = allowedMask;
        _decisions = decisions;
        _unknownAction = new GateDecision(false, mode, stage, PermissionMatrix.UnknownActionRejected, reason, decisions[0].Limits);
        Version = version;
    }

    /// <summary>The scope this snapshot belongs to.</summary>
    public TradingScope Scope { get; }
    /// <summary>The scope's own mode authority's snapshot (before its ancestors are applied).</summary>
    public GateSnapshot Own { get; }
    /// <summary>The scope whose mode is the effective one: this scope or the ancestor that restricts it most (the nearest on a tie).</summary>
    public TradingScope Governing { get; }
    /// <summary>The effective mode: the most restrictive of the scope's own mode and its ancestors'.</summary>
    public SystemMode Mode { get; }
    /// <summary>The recovery stage of <see cref="Governing"/>, when the effective mode is <see cref="SystemMode.Recovering"/>.</summary>
    public RecoveryStage? Stage { get; }
    /// <summary>The reason <see cref="Governing"/> is in <see cref="Mode"/>.</summary>
    public ReasonCode Reason { get; }
    /// <summary>Allowed actions as a bit mask (bit = <see cref="ActionType"/> value): the scope's own mask and'ed with every ancestor's.</summary>
    public byte AllowedMask { get; }
    /// <summary>The scope tree's publication counter when this snapshot was computed (increases with every change in the tree).</summary>
    public long Version { get; }

    /// <summary>Whether <paramref name="action"/> is allowed by the scope and all its ancestors.</summary>
    public bool Allows(ActionType action) => (uint)action < 6u && ((AllowedMask >> (int)action) & 1) != 0;

    /// <summary>The preallocated decision for <paramref name="action"/>.</summary>
    public GateDecision Check(ActionType action) => (uint)action < 6u ? _decisions[(int)action] : _unknownAction;

    /// <inheritdoc />
    public override string ToString() =>
        $"{(Scope.IsProcess ? "(process)" : Scope.Path)}: {Mode}{(Stage is { } s ? "/" + s : "")}{(ReferenceEquals(Governing, Scope) ? "" : " from " + Governing.DisplayPath)}";

    /// <summary>The effective view of a scope with no ancestor: its own snapshot.</summary>
    internal static ScopeSnapshot FromOwn(TradingScope scope, GateSnapshot own, long version)
    {
        var decisions = new GateDecision[6];
        for (var i = 0; i < decisions.Length; i++) decisions[i] = own.Check((ActionType)i);
        return new ScopeSnapshot(scope, own, scope, own.Mode, own.Stage, own.Reason, own.AllowedMask, decisions, version);
    }

    /// <summary>
    /// The last view of a removed scope: every action refused (Query included), in Halt, for <paramref name="reason"/>.
    /// Handles that outlive the removal keep reading it, so they fail closed.
    /// </summary>
    internal static ScopeSnapshot Removed(TradingScope scope, GateSnapshot own, ReasonCode reason, long version)
    {
        const string advice = "rejected: the scope was removed";
        var decisions = new GateDecision[6];
        for (var i = 0; i < decisions.Length; i++) decisions[i] = new GateDecision(false, SystemMode.Halt, null, advice, reason, null);
        return new ScopeSnapshot(scope, own, scope, SystemMode.Halt, null, reason, 0, decisions, version);
    }

    /// <summary>The effective view of <paramref name="scope"/> under <paramref name="parent"/>'s effective view.</summary>
    internal static ScopeSnapshot Under(TradingScope scope, GateSnapshot own, ScopeSnapshot parent, long version) =>
        Stricter(scope, own, parent, FromOwn(scope, own, version), version);

    /// <summary>
    /// The view that allows only what both <paramref name="first"/> and <paramref name="second"/> allow (both views of the same
    /// scope): what is published while a change that tightens some actions and loosens others is under way.
    /// </summary>
    internal static ScopeSnapshot Intersection(ScopeSnapshot first, ScopeSnapshot second, long version) =>
        Stricter(first.Scope, second.Own, first, second, version);

    // Per action: a refusal wins, the first view's (the ancestor's) before the second's; when both allow, the decision
    // (advice, limits) of the more restrictive mode. The effective mode is the more restrictive one, the first on a tie.
    private static ScopeSnapshot Stricter(TradingScope scope, GateSnapshot own, ScopeSnapshot first, ScopeSnapshot second, long version)
    {
        var firstGoverns = ModeTransition.Restrictiveness(first.Mode) >= ModeTransition.Restrictiveness(second.Mode);
        var mode = firstGoverns ? first : second;
        var decisions = new GateDecision[6];
        for (var i = 0; i < decisions.Length; i++)
        {
            var action = (ActionType)i;
            decisions[i] = !first.Allows(action) ? first.Check(action)
                : !second.Allows(action) ? second.Check(action)
                : mode.Check(action);
        }
        return new ScopeSnapshot(scope, own, mode.Governing, mode.Mode, mode.Stage, mode.Reason,
            (byte)(first.AllowedMask & second.AllowedMask), decisions, version);
    }
}
