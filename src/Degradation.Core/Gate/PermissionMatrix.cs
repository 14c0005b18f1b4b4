namespace Degradation;

/// <summary>The default permission matrix (docs/RULES.md, Permissions) and its preallocated advice texts.</summary>
public static class PermissionMatrix
{
    private const byte All = 0b111111;
    private const byte QueryOnly = 1 << (int)ActionType.Query;
    private const byte CancelReduceQuery = (1 << (int)ActionType.Cancel) | (1 << (int)ActionType.ReduceOnly) | QueryOnly;
    private const byte CancelQuery = (1 << (int)ActionType.Cancel) | QueryOnly;

    /// <summary>Advice for Open in Degraded.</summary>
    public const string DegradedOpenAdvice = "restricted: degraded mode, new positions are limited (see Limits)";
    /// <summary>Advice for Cancel in SafeMode.</summary>
    public const string SafeModeCancelAdvice = "best-effort: safe mode, cancel is best-effort";
    /// <summary>Advice for ReduceOnly in SafeMode.</summary>
    public const string SafeModeReduceAdvice = "best-effort: safe mode, reduce-only orders only";
    /// <summary>Rejection in SafeMode.</summary>
    public const string SafeModeRejected = "rejected: safe mode, no new orders (cancel and reduce-only allowed)";
    /// <summary>Rejection in SafeModeDisconnected.</summary>
    public const string DisconnectedRejected = "rejected: broker disconnected, only cached queries are answered";
    /// <summary>Advice for Query in SafeModeDisconnected.</summary>
    public const string DisconnectedQueryAdvice = "cached data only: broker disconnected";
    /// <summary>Rejection in Halt.</summary>
    public const string HaltRejected = "rejected: halted, manual intervention required";
    /// <summary>Advice for Query in Halt.</summary>
    public const string HaltQueryAdvice = "halted: manual intervention required";
    /// <summary>Rejection of an action the options deny in this mode.</summary>
    public const string PolicyRejected = "rejected: denied by policy in this mode";
    /// <summary>Rejection of an undefined action value.</summary>
    public const string UnknownActionRejected = "rejected: unknown action";

    /// <summary>Bit mask of allowed actions (bit = <see cref="ActionType"/> value) for a mode and, in Recovering, a stage.</summary>
    public static byte AllowedMask(SystemMode mode, RecoveryStage? stage) => mode switch
    {
        SystemMode.Normal or SystemMode.Degraded => All,
        SystemMode.SafeMode => CancelReduceQuery,
        SystemMode.SafeModeDisconnected or SystemMode.Halt => QueryOnly,
        SystemMode.Recovering => stage switch
        {
            RecoveryStage.VerifyRisk => CancelQuery,
            RecoveryStage.Ready => CancelReduceQuery,
            _ => QueryOnly,
        },
        _ => 0,
    };

    /// <summary>Whether the default matrix allows <paramref name="action"/> in the mode and stage.</summary>
    public static bool IsAllowed(SystemMode mode, RecoveryStage? stage, ActionType action) =>
        (uint)action < 6 && ((AllowedMask(mode, stage) >> (int)action) & 1) != 0;

    /// <summary>The advice text for an action in a mode and stage (a warning when allowed, the reason when refused).</summary>
    public static string? Advice(SystemMode mode, RecoveryStage? stage, ActionType action, bool allowed)
    {
        if (!allowed && IsAllowed(mode, stage, action)) return PolicyRejected;
        return mode switch
        {
            SystemMode.Normal => null,
            SystemMode.Degraded => action == ActionType.Open ? DegradedOpenAdvice : null,
            SystemMode.SafeMode => action switch
            {
                ActionType.Cancel => SafeModeCancelAdvice,
                ActionType.ReduceOnly => SafeModeReduceAdvice,
                ActionType.Query => null,
                _ => SafeModeRejected,
            },
            SystemMode.SafeModeDisconnected => action == ActionType.Query ? DisconnectedQueryAdvice : DisconnectedRejected,
            SystemMode.Halt => action == ActionType.Query ? HaltQueryAdvice : HaltRejected,
            SystemMode.Recovering => allowed ? null : RecoveringRejected[(int)(stage ?? RecoveryStage.ConnectBroker)],
            _ => UnknownActionRejected,
        };
    }

    private static readonly string[] RecoveringRejected =
    [
        "rejected: recovering (connect_broker), trading not yet allowed",
        "rejected: recovering (catchup_marketdata), trading not yet allowed",
        "rejected: recovering (verify_risk), only cancel and query allowed",
        "rejected: recovering (ready), only cancel, reduce-only and query allowed",
    ];
}
