using Degradation.Audit;
using Degradation.State;

namespace Degradation.Storage.Postgres;

/// <summary>
/// The snake_case text forms stored in the tables (the <see cref="WireNames"/> spellings), strict:
/// an undefined value is an error rather than a number written to the database.
/// </summary>
internal static class DbText
{
    /// <summary>The values the mode CHECK constraints accept, in SQL literal form (in their original order: migration text never changes).</summary>
    public const string ModeList = "'normal', 'degraded', 'safe_mode', 'safe_mode_disconnected', 'halt', 'recovering'";

    public static string Mode(SystemMode mode) => Enum.IsDefined(mode)
        ? WireNames.Of(mode)
        : throw new ArgumentOutOfRangeException(nameof(mode), mode, $"Unknown mode '{(int)mode}'.");

    public static SystemMode ParseMode(string text) => WireNames.TryParseMode(text, out var mode)
        ? mode
        : throw new FormatException($"Unknown mode '{text}' in the database.");

    public static string? Stage(RecoveryStage? stage) => stage switch
    {
        null => null,
        { } s when Enum.IsDefined(s) => WireNames.Of(s),
        _ => throw new ArgumentOutOfRangeException(nameof(stage), stage, $"Unknown stage '{(int)stage}'."),
    };

    public static string Kind(TransitionKind kind) => Enum.IsDefined(kind)
        ? WireNames.Of(kind)
        : throw new ArgumentOutOfRangeException(nameof(kind), kind, $"Unknown transition kind '{(int)kind}'.");

    /// <summary>The <c>audit_records.kind</c> text of <paramref name="kind"/> (snake_case of its name).</summary>
    public static string AuditKind(AuditEntryKind kind) => kind switch
    {
        AuditEntryKind.Transition => "transition",
        AuditEntryKind.Override => "override",
        AuditEntryKind.OperatorAction => "operator_action",
        AuditEntryKind.Approval => "approval",
        AuditEntryKind.Fallback => "fallback",
        AuditEntryKind.Load => "load",
        AuditEntryKind.Feature => "feature",
        AuditEntryKind.Other => "other",
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, $"Unknown audit entry kind '{(int)kind}'."),
    };
}
