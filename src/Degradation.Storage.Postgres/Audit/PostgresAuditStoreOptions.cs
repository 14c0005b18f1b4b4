using Degradation.Alerts;
using Degradation.State;

namespace Degradation.Storage.Postgres;

/// <summary>Options of a <see cref="PostgresAuditStore"/>.</summary>
public sealed class PostgresAuditStoreOptions
{
    /// <summary>The schema holding <c>mode_transitions</c> (created by <see cref="PostgresSchema"/>).</summary>
    public string Schema { get; set; } = "public";

    /// <summary>Identifies this process instance in every row; with the transition's sequence number it is the row's natural key.</summary>
    public string ProcessId { get; set; } = ProcessIdentity.DefaultProcessId();

    /// <summary>Identifies the host in every row.</summary>
    public string HostId { get; set; } = ProcessIdentity.DefaultHostId();

    /// <summary>
    /// A local directory (one process at a time) where transitions the database does not take are kept until it
    /// does; null turns the spool off. Set it to a path that survives a restart of the process, so a successor
    /// writes what its predecessor spooled.
    /// </summary>
    public string? SpoolDirectory { get; set; }

    /// <summary>Spool depth at which a critical alert is raised (once, until the spool falls below half of it). Spooling goes on past it.</summary>
    public long SpoolAlertDepth { get; set; } = 10_000;

    /// <summary>Receives the spool alerts (and the spool's corruption alerts); null: only <see cref="PostgresAuditStore.SpoolAlerts"/> counts them.</summary>
    public IAlertSink? AlertSink { get; set; }

    /// <summary>How long one write (connecting included) may take before the row goes to the spool or is retried.</summary>
    public TimeSpan AttemptTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// Without a spool: how long one transition is retried while the database fails transiently, before the store
    /// gives up on it (the state machine counts the failure; see <see cref="DegradationStateMachine.ObserverFailures"/>).
    /// Retries only delay this store's own queue, never the state machine. Unused with a spool.
    /// </summary>
    public TimeSpan RetryFor { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>First delay between retries (and between attempts to write the spool); doubled each time up to <see cref="MaxRetryDelay"/>.</summary>
    public TimeSpan RetryDelay { get; set; } = TimeSpan.FromMilliseconds(100);

    /// <summary>Longest delay between retries.</summary>
    public TimeSpan MaxRetryDelay { get; set; } = TimeSpan.FromSeconds(5);

    internal void Validate()
    {
        SqlNames.ValidateIdentifier(Schema, nameof(Schema));
        ProcessIdentity.Validate(ProcessId, nameof(ProcessId));
        ProcessIdentity.Validate(HostId, nameof(HostId));
        if (RetryFor < TimeSpan.Zero) throw new ArgumentOutOfRangeException(nameof(RetryFor), RetryFor, $"{nameof(RetryFor)} must be >= 0 (was {RetryFor}).");
        if (RetryDelay <= TimeSpan.Zero) throw new ArgumentOutOfRangeException(nameof(RetryDelay), RetryDelay, $"{nameof(RetryDelay)} must be > 0 (was {RetryDelay}).");
        if (SpoolDirectory is not null && string.IsNullOrWhiteSpace(SpoolDirectory))
            throw new ArgumentException($"{nameof(SpoolDirectory)} must be null (no spool) or name a directory (was '{SpoolDirectory}').", nameof(SpoolDirectory));
        if (SpoolAlertDepth < 1) throw new ArgumentOutOfRangeException(nameof(SpoolAlertDepth), SpoolAlertDepth, $"{nameof(SpoolAlertDepth)} must be >= 1 (was {SpoolAlertDepth}).");
        if (AttemptTimeout <= TimeSpan.Zero) throw new ArgumentOutOfRangeException(nameof(AttemptTimeout), AttemptTimeout, $"{nameof(AttemptTimeout)} must be > 0 (was {AttemptTimeout}).");
        if (MaxRetryDelay < RetryDelay) throw new ArgumentOutOfRangeException(nameof(MaxRetryDelay), MaxRetryDelay, $"{nameof(MaxRetryDelay)} must be >= {nameof(RetryDelay)} (was {MaxRetryDelay}).");
    }
}
