namespace Degradation.Audit;

/// <summary>
/// Events whose reason is record-only (<c>positions_reconciled</c>, see <see cref="DefaultDecisionMatrix.RecordOnly"/>)
/// change no condition, so no transition records them: they are audited as records of their own.
/// </summary>
internal static class RecordOnlyEvents
{
    /// <summary>The audit record of <paramref name="e"/> (kind <see cref="AuditEntryKind.Other"/>, named after its reason), or null when its reason is not record-only.</summary>
    public static AuditRecord? ToAuditRecord(SystemEvent e) =>
        !e.Reason.IsEmpty && DefaultDecisionMatrix.RecordOnly.Contains(e.Reason.Value)
            ? new AuditRecord { Kind = AuditEntryKind.Other, Action = e.Reason.Value, Component = e.Component.Name, Details = e.Details, WallTime = e.WallTime }
            : null;
}
