using Degradation.Alerts;

namespace Degradation.Storage.Postgres;

/// <summary>Options of <see cref="PostgresDegradation"/>: one connection string and schema for the audit, the WAL and the fleet policy.</summary>
public sealed class PostgresDegradationOptions
{
    /// <summary>The Npgsql connection string.</summary>
    public string ConnectionString { get; set; } = "";

    /// <summary>The schema holding every table (a lower-case identifier).</summary>
    public string Schema { get; set; } = "public";

    /// <summary>This process's id in audit rows and fleet acknowledgements.</summary>
    public string ProcessId { get; set; } = ProcessIdentity.DefaultProcessId();

    /// <summary>This host's id in audit rows and fleet acknowledgements.</summary>
    public string HostId { get; set; } = ProcessIdentity.DefaultHostId();

    /// <summary>Create or upgrade the schema in <see cref="PostgresDegradation.StartAsync"/>.</summary>
    public bool MigrateOnStart { get; set; } = true;

    /// <summary>Write every transition to <c>mode_transitions</c>.</summary>
    public bool Audit { get; set; } = true;

    /// <summary>
    /// Where transitions the database does not take are kept until it does (a local directory, one process at a
    /// time). Null (default) uses <c>degradation-audit-spool/&lt;schema&gt;/&lt;process id&gt;</c> under the temporary directory;
    /// set a path that survives restarts (for example one per service instance) so a restarted process writes what
    /// its predecessor spooled. Rows are written to the schema of the store that drains them: one directory per schema.
    /// </summary>
    public string? AuditSpoolDirectory { get; set; }

    /// <summary>Spool depth at which the audit raises a critical alert (see <see cref="PostgresAuditStoreOptions.SpoolAlertDepth"/>).</summary>
    public long AuditSpoolAlertDepth { get; set; } = 10_000;

    /// <summary>Receives the audit spool's alerts; null: they are only counted (<see cref="PostgresAuditStore.SpoolAlerts"/>).</summary>
    public IAlertSink? AlertSink { get; set; }

    /// <summary>How long <see cref="PostgresDegradation.StopAsync"/> waits for the audit spool to reach the database before leaving the rest on disk.</summary>
    public TimeSpan AuditDrainOnStop { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// Follow the fleet policy; null turns it off. Its <see cref="PostgresFleetPolicyOptions.Schema"/>,
    /// <see cref="PostgresFleetPolicyOptions.ProcessId"/> and <see cref="PostgresFleetPolicyOptions.HostId"/> are
    /// replaced by this object's.
    /// </summary>
    public PostgresFleetPolicyOptions? FleetPolicy { get; set; } = new();

    /// <summary>The WAL stream <see cref="PostgresDegradation.CreateWalStore"/> uses when none is given.</summary>
    public string WalStream { get; set; } = "default";
}
