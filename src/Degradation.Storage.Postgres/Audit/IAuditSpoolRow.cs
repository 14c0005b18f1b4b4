namespace Degradation.Storage.Postgres;

/// <summary>A row of the audit (a transition or another record), fixed when it is first handled, so a row written later from the spool is exactly the row a direct write would have stored.</summary>
internal interface IAuditSpoolRow
{
    /// <summary>The process that made it.</summary>
    string ProcessId { get; }

    /// <summary>Names it in errors and alerts, e.g. <c>transition #12</c>.</summary>
    string Describe();
}
