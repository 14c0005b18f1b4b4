using Degradation.KillSwitches;
using Degradation.State;

namespace Degradation.AspNetCore.Contracts;

/// <summary>The system status (GET <c>status</c>): mode, stage and components plus override details and recovery run.</summary>
public sealed class StatusResponse
{
    /// <summary>The mode: <c>normal</c>, <c>degraded</c>, <c>safe_mode</c>, <c>safe_mode_disconnected</c>, <c>halt</c> or <c>recovering</c>.</summary>
    public required string Mode { get; init; }
    /// <summary>The recovery stage in <c>recovering</c> (<c>connect_broker</c>, <c>catchup_marketdata</c>, <c>verify_risk</c>, <c>ready</c>), else null.</summary>
    public string? Stage { get; init; }
    /// <summary>
    /// The worst component level: <c>tripped</c> when a component is tripped, <c>unknown</c> when a critical component
    /// is silent or never reported, <c>unstable</c> when one is unstable, else <c>healthy</c>.
    /// </summary>
    public required string Level { get; init; }
    /// <summary>The reason code of the transition into the current mode.</summary>
    public required string Reason { get; init; }
    /// <summary>Sequence number of that transition.</summary>
    public required long Sequence { get; init; }
    /// <summary>True while an operator override is active.</summary>
    public required bool IsOverride { get; init; }
    /// <summary>When the override ends, or null.</summary>
    public DateTimeOffset? OverrideExpiresAt { get; init; }
    /// <summary>The override, or null.</summary>
    public OverrideResponse? Override { get; init; }
    /// <summary>The last transition, or null.</summary>
    public TransitionResponse? LastTransition { get; init; }
    /// <summary>The recovery run in progress, or null.</summary>
    public long? RecoveryRun { get; init; }
    /// <summary>What started it: <c>auto</c>, <c>manual</c> or <c>cold_start</c>.</summary>
    public string? RecoveryTrigger { get; init; }
    /// <summary>The TTL bounds a force override must respect.</summary>
    public required OverrideBoundsResponse OverrideTtlBounds { get; init; }
    /// <summary>The operator Halt in force (the kill switch), or null.</summary>
    public OperatorHaltResponse? OperatorHalt { get; init; }
    /// <summary>Every active condition, strictest first (what a loosening command must acknowledge comes from here).</summary>
    public required IReadOnlyList<ActiveConditionResponse> ActiveConditions { get; init; }
    /// <summary>The kill-switch actions' outcomes for the latest entry into Halt (empty before the first).</summary>
    public required IReadOnlyList<KillSwitchActionResponse> KillSwitch { get; init; }
    /// <summary>Why the system is not in Normal: every hold between the current mode and Normal; empty in Normal.</summary>
    public required IReadOnlyList<ModeHoldResponse> WhyNotNormal { get; init; }
    /// <summary>The server's wall-clock time when the status was taken.</summary>
    public required DateTimeOffset ServerTime { get; init; }
}
