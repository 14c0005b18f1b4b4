namespace Degradation.Audit;

/// <summary>
/// What one audit entry records: its kind, action, component, operator, change, reason, details and wall time. Records
/// that are not mode transitions — a fallback tier change, a load or feature level change, an approval, an operator
/// action, a kill-switch outcome — are handed to every <see cref="IAuditStore"/> through
/// <see cref="IAuditStore.AppendAsync(AuditRecord, CancellationToken)"/> (transitions go as <see cref="ModeTransition"/>);
/// a chaining store such as <see cref="AuditTrail"/> keeps every record, transitions included, in an
/// <see cref="AuditEntry"/> with a sequence number and a hash.
/// </summary>
public sealed record AuditRecord
{
    /// <summary>What it records.</summary>
    public required AuditEntryKind Kind { get; init; }
    /// <summary>A short machine-readable action, e.g. <c>fallback.failed_over</c>, <c>load.level_changed</c>, <c>approval.granted</c>.</summary>
    public required string Action { get; init; }
    /// <summary>The component or subject concerned, if any.</summary>
    public string? Component { get; init; }
    /// <summary>The operator who acted; null for automatic actions.</summary>
    public string? OperatorId { get; init; }
    /// <summary>The state before, if it is a change.</summary>
    public string? From { get; init; }
    /// <summary>The state after, if it is a change.</summary>
    public string? To { get; init; }
    /// <summary>Why: a reason code or the operator's reason.</summary>
    public string? Reason { get; init; }
    /// <summary>Free text.</summary>
    public string? Details { get; init; }
    /// <summary>When it happened (wall clock, from the TimeProvider of whoever recorded it).</summary>
    public required DateTimeOffset WallTime { get; init; }

    /// <summary>An approval granted or revoked for <paramref name="subject"/> by <paramref name="operatorId"/>.</summary>
    public static AuditRecord Approval(string subject, string operatorId, string reason, bool granted, DateTimeOffset wallTime, string? details = null) => new()
    {
        Kind = AuditEntryKind.Approval, Action = granted ? "approval.granted" : "approval.revoked", Component = subject,
        OperatorId = operatorId, Reason = reason, Details = details, WallTime = wallTime,
    };

    /// <summary>An operator command (<paramref name="action"/>, e.g. <c>load.reset</c>).</summary>
    public static AuditRecord OperatorAction(string action, string operatorId, string reason, DateTimeOffset wallTime, string? component = null, string? details = null) => new()
    {
        Kind = AuditEntryKind.OperatorAction, Action = action, Component = component, OperatorId = operatorId, Reason = reason,
        Details = details, WallTime = wallTime,
    };

    /// <inheritdoc />
    public override string ToString() =>
        $"{WallTime:O} {Kind} {Action}{(Component is null ? "" : " " + Component)}" +
        $"{(From is null && To is null ? "" : $" {From} -> {To}")}{(Reason is null ? "" : " (" + Reason + ")")}" +
        $"{(OperatorId is null ? "" : " by " + OperatorId)}{(Details is null ? "" : ": " + Details)}";
}
