using Degradation.State;

namespace Degradation.Storage.Postgres;

/// <summary>
/// One <c>mode_transitions</c> row, fixed when the transition is first handled (its id included), so a row
/// written later from the spool is exactly the row a direct write would have stored.
/// </summary>
internal sealed record AuditRow : IAuditSpoolRow
{
    public required Guid Id { get; init; }
    public required DateTimeOffset Timestamp { get; init; }
    public required string FromMode { get; init; }
    public required string ToMode { get; init; }
    public required string ReasonCode { get; init; }
    public required string Source { get; init; }
    public string? OperatorId { get; init; }
    public int? OverrideTtlSeconds { get; init; }
    public string? Details { get; init; }
    public required string ProcessId { get; init; }
    public required string HostId { get; init; }
    public required long Sequence { get; init; }
    public required string Kind { get; init; }
    public string? FromStage { get; init; }
    public string? ToStage { get; init; }
    public long? RecoveryRun { get; init; }

    public static AuditRow From(ModeTransition t, string processId, string hostId) => new()
    {
        Id = Guid.CreateVersion7(t.WallTime),
        Timestamp = t.WallTime,
        FromMode = DbText.Mode(t.From),
        ToMode = DbText.Mode(t.To),
        ReasonCode = t.Reason.Value,
        Source = t.Component.Name,
        OperatorId = t.OperatorId,
        OverrideTtlSeconds = t.OverrideTtl is { } ttl ? (int)Math.Ceiling(ttl.TotalSeconds) : null,
        Details = t.Details,
        ProcessId = processId,
        HostId = hostId,
        Sequence = t.Sequence,
        Kind = DbText.Kind(t.Kind),
        FromStage = DbText.Stage(t.FromStage),
        ToStage = DbText.Stage(t.ToStage),
        RecoveryRun = t.RecoveryRun is { } run ? run.Value : null,
    };

    public string Describe() => $"transition #{Sequence}";
}
