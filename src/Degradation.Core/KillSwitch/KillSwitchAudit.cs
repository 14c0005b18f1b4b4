using System.Globalization;

namespace Degradation.KillSwitches;

/// <summary>How a finished kill-switch action is audited: <c>kill_switch_action</c>, the action's name as the reason, its status as the new state.</summary>
internal static class KillSwitchAudit
{
    public const string Action = "kill_switch_action";

    /// <summary>The audit record of <paramref name="outcome"/>, or null while the action is still running (only outcomes are audited).</summary>
    public static AuditRecord? ToAuditRecord(KillSwitchActionOutcome outcome)
    {
        ArgumentNullException.ThrowIfNull(outcome);
        if (outcome.Status == KillSwitchActionStatus.Running) return null;
        return new AuditRecord
        {
            Kind = AuditEntryKind.OperatorAction, Action = Action, To = outcome.Status.ToString(), Reason = outcome.Name,
            Details = string.Create(CultureInfo.InvariantCulture, $"halt #{outcome.HaltSequence}{(outcome.Details is null ? "" : ": " + outcome.Details)}"),
            WallTime = outcome.CompletedAt ?? outcome.StartedAt,
        };
    }
}
