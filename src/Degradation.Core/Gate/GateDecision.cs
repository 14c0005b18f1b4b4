namespace Degradation;

/// <summary>
/// The gate's answer for one action: a value, never an exception. Every field is preallocated in the
/// published snapshot, so returning it allocates nothing.
/// </summary>
public readonly struct GateDecision
{
    internal GateDecision(bool allowed, SystemMode mode, RecoveryStage? stage, string? advice, ReasonCode reason, TradingLimits? limits)
    {
        Allowed = allowed;
        Mode = mode;
        Stage = stage;
        Advice = advice;
        Reason = reason;
        Limits = limits;
    }

    /// <summary>Whether the action may go ahead.</summary>
    public bool Allowed { get; }
    /// <summary>The mode the decision was made in.</summary>
    public SystemMode Mode { get; }
    /// <summary>The recovery stage, when <see cref="Mode"/> is <see cref="SystemMode.Recovering"/>.</summary>
    public RecoveryStage? Stage { get; }
    /// <summary>A warning for an allowed action ("restricted", "best-effort") or the rejection reason for a refused one; null when allowed without remark.</summary>
    public string? Advice { get; }
    /// <summary>The reason code of the transition into the current mode.</summary>
    public ReasonCode Reason { get; }
    /// <summary>The trading limits in force in this mode (e.g. Degraded caps order quantity at 50), or null.</summary>
    public TradingLimits? Limits { get; }

    /// <inheritdoc />
    public override string ToString() =>
        $"{(Allowed ? "allowed" : "refused")} in {Mode}{(Stage is { } s ? "/" + s : "")}{(Advice is null ? "" : ": " + Advice)}";
}
