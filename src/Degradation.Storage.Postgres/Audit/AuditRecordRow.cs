using Degradation.Audit;

namespace Degradation.Storage.Postgres;

/// <summary>
/// One <c>audit_records</c> row: the record as handed to the store, with the process, host, the store's own sequence
/// (the order this process handed records over) and an id fixed when the record is first handled, so a retried or
/// re-drained write is stored once.
/// </summary>
internal sealed record AuditRecordRow : IAuditSpoolRow
{
    public required Guid Id { get; init; }
    public required string ProcessId { get; init; }
    public required string HostId { get; init; }
    public required long Sequence { get; init; }
    public required AuditRecord Record { get; init; }

    public static AuditRecordRow From(AuditRecord record, string processId, string hostId, long sequence) => new()
    {
        Id = Guid.CreateVersion7(record.WallTime), ProcessId = processId, HostId = hostId, Sequence = sequence, Record = record,
    };

    public string Describe() => $"record #{Sequence} ({Record.Action})";
}
