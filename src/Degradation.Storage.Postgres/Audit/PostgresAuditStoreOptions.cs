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
    /// How long one transition is retried while the database fails transiently, before the store gives up on
    /// it (the state machine counts the failure; see <see cref="DegradationStateMachine.ObserverFailures"/>).
    /// Retries only delay this store's own queue, never the state machine.
    /// </summary>
    public TimeSpan RetryFor { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>First delay between retries; doubled each time up to <see cref="MaxRetryDelay"/>.</summary>
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
        if (MaxRetryDelay < RetryDelay) throw new ArgumentOutOfRangeException(nameof(MaxRetryDelay), MaxRetryDelay, $"{nameof(MaxRetryDelay)} must be >= {nameof(RetryDelay)} (was {MaxRetryDelay}).");
    }
}
