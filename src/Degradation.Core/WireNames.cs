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

    /// <summary>The valid mode names for error messages: the wire names, noting that the C# names are accepted too.</summary>
    public static string ValidModes { get; } = string.Join(", ", Modes) + " (or SystemMode names such as SafeMode; any case)";

    /// <summary>The valid action names for error messages.</summary>
    public static string ValidActions { get; } = string.Join(", ", Actions) + " (or ActionType names such as ReduceOnly; any case)";

    /// <summary>The valid recovery stage names for error messages.</summary>
    public static string ValidStages { get; } = string.Join(", ", Stages) + " (or RecoveryStage names such as CatchupMarketData; any case)";

    /// <summary>
    /// Parses a mode written as its wire name (<c>safe_mode</c>) or its C# name (<c>SafeMode</c>), in any case. False for
    /// anything else, numbers included. Every text input (configuration, HTTP API, command line, stored state) uses it.
    /// </summary>
    public static bool TryParseMode(string? value, out SystemMode mode) => TryParse(value, Modes, ModeNames, ModeValues, out mode);

    /// <summary>Parses a recovery stage written as its wire name (<c>catchup_marketdata</c>) or its C# name, in any case. False for anything else, numbers included.</summary>
    public static bool TryParseStage(string? value, out RecoveryStage stage) => TryParse(value, Stages, StageNames, StageValues, out stage);

    /// <summary>Parses an action written as its wire name (<c>reduce_only</c>) or its C# name (<c>ReduceOnly</c>), in any case. False for anything else, numbers included.</summary>
    public static bool TryParseAction(string? value, out ActionType action) => TryParse(value, Actions, ActionNames, ActionValues, out action);

    private static readonly string[] ModeNames = Enum.GetNames<SystemMode>();
    private static readonly string[] StageNames = Enum.GetNames<RecoveryStage>();
    private static readonly string[] ActionNames = Enum.GetNames<ActionType>();
    private static readonly SystemMode[] ModeValues = Enum.GetValues<SystemMode>();
    private static readonly RecoveryStage[] StageValues = Enum.GetValues<RecoveryStage>();
    private static readonly ActionType[] ActionValues = Enum.GetValues<ActionType>();

    // Both lists are in the order of the enum's values (0, 1, ...), which the wire-name tests pin.
    private static bool TryParse<TEnum>(string? value, IReadOnlyList<string> wire, string[] names, TEnum[] values, out TEnum result) where TEnum : struct, Enum
    {
        if (value is not null)
        {
            var text = value.Trim();
            for (var i = 0; i < wire.Count; i++)
            {
                if (string.Equals(wire[i], text, StringComparison.OrdinalIgnoreCase) || string.Equals(names[i], text, StringComparison.OrdinalIgnoreCase))
                {
                    result = values[i];
                    return true;
                }
            }
        }
        result = default;
        return false;
    }

    private static string Unknown(int value) => value.ToString(CultureInfo.InvariantCulture);
}
