namespace Degradation.Storage.Postgres;

/// <summary>The snake_case text forms stored in the tables (seed 000's spellings).</summary>
internal static class DbText
{
    /// <summary>The values the mode CHECK constraints accept, in SQL literal form.</summary>
    public const string ModeList = "'normal', 'degraded', 'safe_mode', 'safe_mode_disconnected', 'halt', 'recovering'";

    public static string Mode(SystemMode mode) => mode switch
    {
        SystemMode.Normal => "normal",
        SystemMode.Recovering => "recovering",
        SystemMode.Degraded => "degraded",
        SystemMode.SafeMode => "safe_mode",
        SystemMode.SafeModeDisconnected => "safe_mode_disconnected",
        SystemMode.Halt => "halt",
        _ => throw new ArgumentOutOfRangeException(nameof(mode), mode, $"Unknown mode '{(int)mode}'."),
    };

    public static SystemMode ParseMode(string text) => text switch
    {
        "normal" => SystemMode.Normal,
        "recovering" => SystemMode.Recovering,
        "degraded" => SystemMode.Degraded,
        "safe_mode" => SystemMode.SafeMode,
        "safe_mode_disconnected" => SystemMode.SafeModeDisconnected,
        "halt" => SystemMode.Halt,
        _ => throw new FormatException($"Unknown mode '{text}' in the database."),
    };

    public static string? Stage(RecoveryStage? stage) => stage switch
    {
        null => null,
        RecoveryStage.ConnectBroker => "connect_broker",
        RecoveryStage.CatchupMarketData => "catchup_marketdata",
        RecoveryStage.VerifyRisk => "verify_risk",
        RecoveryStage.Ready => "ready",
        _ => throw new ArgumentOutOfRangeException(nameof(stage), stage, $"Unknown stage '{(int)stage}'."),
    };

    public static string Kind(TransitionKind kind) => kind switch
    {
        TransitionKind.ModeChange => "mode_change",
        TransitionKind.StageChange => "stage_change",
        TransitionKind.OverrideStarted => "override_started",
        TransitionKind.OverrideEnded => "override_ended",
        TransitionKind.HaltReleased => "halt_released",
        TransitionKind.OperatorCommand => "operator_command",
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, $"Unknown transition kind '{(int)kind}'."),
    };
}
