using System.Globalization;

namespace Degradation;

/// <summary>
/// The wire names (JSON, metrics tags, audit and database text) of the core enums: snake_case strings (<c>safe_mode_disconnected</c>,
/// <c>catchup_marketdata</c>, <c>reduce_only</c>, …). Written by hand rather than derived from a naming
/// policy because the names are not a mechanical transform (<c>CatchupMarketData</c> is
/// <c>catchup_marketdata</c>).
/// </summary>
public static class WireNames
{
    /// <summary>Every mode, in wire form, in the order of <see cref="SystemMode"/>.</summary>
    public static IReadOnlyList<string> Modes { get; } = ["normal", "recovering", "degraded", "safe_mode", "safe_mode_disconnected", "halt"];

    /// <summary>Every recovery stage, in wire form, in order.</summary>
    public static IReadOnlyList<string> Stages { get; } = ["connect_broker", "catchup_marketdata", "verify_risk", "ready"];

    /// <summary>Every action, in wire form, in the order of <see cref="ActionType"/>.</summary>
    public static IReadOnlyList<string> Actions { get; } = ["open", "send", "amend", "cancel", "reduce_only", "query"];

    /// <summary>The wire name of a mode, e.g. <c>safe_mode</c>.</summary>
    public static string Of(SystemMode mode) => (uint)mode < (uint)Modes.Count ? Modes[(int)mode] : Unknown((int)mode);

    /// <summary>The wire name of a recovery stage, e.g. <c>catchup_marketdata</c>.</summary>
    public static string Of(RecoveryStage stage) => (uint)stage < (uint)Stages.Count ? Stages[(int)stage] : Unknown((int)stage);

    /// <summary>The wire name of an action, e.g. <c>reduce_only</c>.</summary>
    public static string Of(ActionType action) => (uint)action < (uint)Actions.Count ? Actions[(int)action] : Unknown((int)action);

    /// <summary>The wire name of a component level: <c>healthy</c>, <c>unstable</c>, <c>tripped</c> or <c>unknown</c>.</summary>
    public static string Of(ComponentLevel level) => level switch
    {
        ComponentLevel.Healthy => "healthy",
        ComponentLevel.Unstable => "unstable",
        ComponentLevel.Tripped => "tripped",
        ComponentLevel.Unknown => "unknown",
        _ => Unknown((int)level),
    };

    /// <summary>The wire name of a transition kind, e.g. <c>override_started</c>.</summary>
    public static string Of(TransitionKind kind) => kind switch
    {
        TransitionKind.ModeChange => "mode_change",
        TransitionKind.StageChange => "stage_change",
        TransitionKind.OverrideStarted => "override_started",
        TransitionKind.OverrideEnded => "override_ended",
        TransitionKind.HaltReleased => "halt_released",
        TransitionKind.OperatorCommand => "operator_command",
        TransitionKind.OperatorHalt => "operator_halt",
        _ => Unknown((int)kind),
    };

    /// <summary>The wire name of a recovery trigger: <c>auto</c>, <c>manual</c> or <c>cold_start</c>.</summary>
    public static string Of(RecoveryTrigger trigger) => trigger switch
    {
        RecoveryTrigger.Auto => "auto",
        RecoveryTrigger.Manual => "manual",
        RecoveryTrigger.ColdStart => "cold_start",
        _ => Unknown((int)trigger),
    };

    /// <summary>Parses a mode's wire name (exact, lower case). False for anything else, numbers included.</summary>
    public static bool TryParseMode(string? value, out SystemMode mode)
    {
        for (var i = 0; i < Modes.Count; i++)
        {
            if (string.Equals(Modes[i], value, StringComparison.Ordinal))
            {
                mode = (SystemMode)i;
                return true;
            }
        }
        mode = default;
        return false;
    }

    /// <summary>Parses a stage's wire name (exact, lower case). False for anything else, numbers included.</summary>
    public static bool TryParseStage(string? value, out RecoveryStage stage)
    {
        for (var i = 0; i < Stages.Count; i++)
        {
            if (string.Equals(Stages[i], value, StringComparison.Ordinal))
            {
                stage = (RecoveryStage)i;
                return true;
            }
        }
        stage = default;
        return false;
    }

    private static string Unknown(int value) => value.ToString(CultureInfo.InvariantCulture);
}
