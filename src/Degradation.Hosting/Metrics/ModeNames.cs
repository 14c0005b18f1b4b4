namespace Degradation.Hosting;

/// <summary>The seed's snake_case names of modes, stages and actions, preallocated.</summary>
public static class ModeNames
{
    private static readonly string[] Modes = ["normal", "recovering", "degraded", "safe_mode", "safe_mode_disconnected", "halt"];
    private static readonly string[] Stages = ["connect_broker", "catchup_marketdata", "verify_risk", "ready"];
    private static readonly string[] Actions = ["open", "send", "amend", "cancel", "reduce_only", "query"];

    /// <summary>The snake_case name of <paramref name="mode"/>.</summary>
    public static string Of(SystemMode mode) => (uint)mode < (uint)Modes.Length ? Modes[(int)mode] : mode.ToString();

    /// <summary>The snake_case name of <paramref name="stage"/>.</summary>
    public static string Of(RecoveryStage stage) => (uint)stage < (uint)Stages.Length ? Stages[(int)stage] : stage.ToString();

    /// <summary>The snake_case name of <paramref name="action"/>.</summary>
    public static string Of(ActionType action) => (uint)action < (uint)Actions.Length ? Actions[(int)action] : action.ToString();
}
