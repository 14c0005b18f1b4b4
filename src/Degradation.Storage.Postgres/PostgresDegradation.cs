using Degradation.State;
using Npgsql;

namespace Degradation.Storage.Postgres;

/// <summary>
/// The adapter's one-line entry point: starts the fleet policy (which migrates the schema) and attaches the
/// audit store (with its local spool) for a <see cref="DegradationSystem"/>, and makes WAL stores and fleet
/// command issuers.
/// </summary>
/// <example>
/// <code>
/// var options = new DegradationOptions();
/// PostgresFleetPolicyOptions.RegisterLossHandling(options);          // fail closed; (options, SystemMode.Degraded) keeps trading, flagged
/// await using var system = DegradationSystem.Create(options);
/// await using var postgres = new PostgresDegradation(new PostgresDegradationOptions { ConnectionString = "Host=db;Username=app" });
/// system.Start();
/// await postgres.StartAsync(system);
/// var wal = postgres.CreateWalStore();                                // IWalStore for the write buffer
/// </code>
/// </example>
public sealed class PostgresDegradation : IAsyncDisposable
{
    private readonly PostgresDegradationOptions _options;
    private readonly NpgsqlDataSource _dataSource;
    private readonly object _gate = new();
    private DegradationSystem? _system;
    private IDisposable? _auditSubscription;
    private PostgresAuditStore? _audit;
    private readonly AuditRecordForwarder _records = new();
    private readonly PostgresFleetPolicy? _fleet;
    private bool _stopped;

    /// <summary>Creates the adapter and its fleet policy (no connection is made until it is started or used).</summary>
    /// <exception cref="ArgumentException">An option is invalid; the message names it.</exception>
    public PostgresDegradation(PostgresDegradationOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (string.IsNullOrWhiteSpace(options.ConnectionString))
            throw new ArgumentException($"{nameof(PostgresDegradationOptions.ConnectionString)} must not be empty.", nameof(options));
        SqlNames.ValidateIdentifier(options.Schema, nameof(PostgresDegradationOptions.Schema));
        ProcessIdentity.Validate(options.ProcessId, nameof(PostgresDegradationOptions.ProcessId));
        ProcessIdentity.Validate(options.HostId, nameof(PostgresDegradationOptions.HostId));
        if (options.AuditSpoolDirectory is { } spool && string.IsNullOrWhiteSpace(spool))
            throw new ArgumentException($"{nameof(PostgresDegradationOptions.AuditSpoolDirectory)} must be null (default) or name a directory (was '{spool}').", nameof(options));
        if (options.AuditSpoolAlertDepth < 1)
            throw new ArgumentOutOfRangeException(nameof(options), options.AuditSpoolAlertDepth, $"{nameof(PostgresDegradationOptions.AuditSpoolAlertDepth)} must be >= 1 (was {options.AuditSpoolAlertDepth}).");
        if (options.AuditDrainOnStop < TimeSpan.Zero)
            throw new ArgumentOutOfRangeException(nameof(options), options.AuditDrainOnStop, $"{nameof(PostgresDegradationOptions.AuditDrainOnStop)} must be >= 0 (was {options.AuditDrainOnStop}).");
        _options = options;
        if (options.FleetPolicy is { } fleetOptions)
        {
            fleetOptions.Schema = options.Schema;
            fleetOptions.ProcessId = options.ProcessId;
            fleetOptions.HostId = options.HostId;
            fleetOptions.MigrateOnStart = options.MigrateOnStart;
            // Created now (validating its options) so handlers can be attached before it first reads the table.
            _fleet = new PostgresFleetPolicy(options.ConnectionString, fleetOptions);
        }
        _dataSource = NpgsqlDataSource.Create(options.ConnectionString);
        if (!options.Audit) _records.Close($"The PostgreSQL adapter's audit is off ({nameof(PostgresDegradationOptions.Audit)} = false)");
    }

    /// <summary>The schema the stores use.</summary>
    internal string Schema => _options.Schema;

    /// <summary>The pooled data source the stores share.</summary>
    public NpgsqlDataSource DataSource => _dataSource;

    /// <summary>The audit store attached by <see cref="StartAsync"/>, if any.</summary>
    public PostgresAuditStore? AuditStore { get { lock (_gate) return _audit; } }

    /// <summary>
    /// The adapter among a runtime's audit stores (<see cref="PostgresDegradationBuilderExtensions.UsePostgresAudit"/>;
    /// <c>UsePostgres</c> adds it): every audit record that is not a transition — fallback tiers, load and feature
    /// levels, approvals, operator actions, kill-switch outcomes — goes to <see cref="AuditStore"/>'s
    /// <c>audit_records</c> table. Records handed over before <see cref="StartAsync"/> wait for it; after
    /// <see cref="StopAsync"/> (or with <see cref="PostgresDegradationOptions.Audit"/> off, or after a failed start) they
    /// are refused, naming why, and the runtime counts them. Transitions are not taken here: <see cref="StartAsync"/>
    /// subscribes the audit store to the state machine.
    /// </summary>
    public IAuditStore AuditRecords => _records;

    /// <summary>The fleet policy (created with the adapter, started by <see cref="StartAsync"/>); null when <see cref="PostgresDegradationOptions.FleetPolicy"/> is null.</summary>
    public PostgresFleetPolicy? FleetPolicy => _fleet;

    /// <summary>Creates or upgrades the schema (safe from many processes at once).</summary>
    public Task<SchemaMigrationResult> MigrateAsync(CancellationToken cancellationToken = default) =>
        PostgresSchema.MigrateAsync(_dataSource, _options.Schema, cancellationToken);

    /// <summary>Creates a WAL store over <paramref name="stream"/> (default <see cref="PostgresDegradationOptions.WalStream"/>).</summary>
    public PostgresWalStore CreateWalStore(string? stream = null, TimeProvider? timeProvider = null) =>
        new(_dataSource, new PostgresWalStoreOptions { Schema = _options.Schema, Stream = stream ?? _options.WalStream }, timeProvider);

    /// <summary>Creates an issuer of fleet commands on the configured channel.</summary>
    public FleetCommands CreateCommands() =>
        new(_dataSource, _options.Schema, _options.FleetPolicy?.Channel ?? PostgresFleetPolicyOptions.DefaultChannel);

    /// <summary>
    /// Starts the fleet policy listener first — its loss timer runs from here, and the system stays fail-closed
    /// until the policy has been read — then subscribes the audit store without waiting for its backlog (rows the
    /// database does not take go to the local spool). Migration, when configured, runs on the listener's own
    /// connection before it listens, so neither a slow migration nor a down database delays the loss report.
    /// Returns without waiting for the database.
    /// </summary>
    /// <exception cref="InvalidOperationException">Already started (or started and stopped: the adapter starts once).</exception>
    /// <exception cref="IOException">The audit spool directory cannot be opened (for example, another process holds it).</exception>
    public async Task StartAsync(DegradationSystem system, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(system);
        lock (_gate)
        {
            if (_system is not null || _stopped) throw new InvalidOperationException("The PostgreSQL adapter is already started (it starts once).");
            _system = system;
        }
        try
        {
            await StartCoreAsync(system, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            _records.Close($"The PostgreSQL adapter failed to start ({ex.GetType().Name}: {ex.Message})");
            throw;
        }
    }

    private async Task StartCoreAsync(DegradationSystem system, CancellationToken cancellationToken)
    {
        if (_fleet is { } fleet)
        {
            await fleet.StartAsync(system, cancellationToken).ConfigureAwait(false);
        }
        else if (_options.MigrateOnStart)
        {
            await MigrateAsync(cancellationToken).ConfigureAwait(false);
        }
        if (_options.Audit)
        {
            var audit = new PostgresAuditStore(_dataSource, new PostgresAuditStoreOptions
            {
                Schema = _options.Schema, ProcessId = _options.ProcessId, HostId = _options.HostId,
                SpoolDirectory = _options.AuditSpoolDirectory ?? DefaultSpoolDirectory(_options.Schema, _options.ProcessId),
                SpoolAlertDepth = _options.AuditSpoolAlertDepth,
                AlertSink = _options.AlertSink,
            }, system.TimeProvider);
            try
            {
                var subscription = await audit.SubscribeAsync(system.StateMachine, cancellationToken).ConfigureAwait(false);
                lock (_gate)
                {
                    _audit = audit;
                    _auditSubscription = subscription;
                }
                _records.Attach(audit);
            }
            catch
            {
                await audit.DisposeAsync().ConfigureAwait(false);
                throw;
            }
        }
    }

    /// <summary>
    /// Stops the fleet policy, hands the audit every transition so far, refuses later audit records (see
    /// <see cref="AuditRecords"/>), waits up to <see cref="PostgresDegradationOptions.AuditDrainOnStop"/> for the records
    /// on their way and the spool to reach the database (what is left stays on disk for the next start) and detaches the audit.
    /// </summary>
    public async Task StopAsync(CancellationToken cancellationToken = default)
    {
        DegradationSystem? system;
        IDisposable? subscription;
        PostgresAuditStore? audit;
        lock (_gate)
        {
            system = _system;
            _stopped |= system is not null;
            subscription = _auditSubscription;
            audit = _audit;
            _auditSubscription = null;
            _audit = null;
            _system = null;
        }
        if (_fleet is not null) await _fleet.DisposeAsync().ConfigureAwait(false);
        if (system is not null && subscription is not null)
            await system.StateMachine.FlushObserversAsync(cancellationToken).ConfigureAwait(false);
        subscription?.Dispose();
        _records.Close("The PostgreSQL adapter is stopped");
        if (audit is not null)
        {
            try
            {
                using var drain = new TimeoutScope(_options.AuditDrainOnStop, system?.TimeProvider ?? TimeProvider.System, cancellationToken);
                try
                {
                    await _records.WhenIdleAsync(drain.Token).ConfigureAwait(false); // records already handed over reach the store (or its spool)
                }
                catch (OperationCanceledException) when (drain.Token.IsCancellationRequested)
                {
                    // Out of time: a record still on its way fails against the disposed store and is counted by the runtime.
                }
                await audit.DrainAsync(drain.Token).ConfigureAwait(false);
            }
            finally
            {
                await audit.DisposeAsync().ConfigureAwait(false);
            }
        }
    }

    // Per schema and process: spooled rows are written to the schema of the store that drains them.
    private static string DefaultSpoolDirectory(string schema, string processId)
    {
        var invalid = Path.GetInvalidFileNameChars();
        var name = new string([.. processId.Select(c => c == ':' || invalid.Contains(c) ? '_' : c)]);
        return Path.Combine(Path.GetTempPath(), "degradation-audit-spool", schema, name);
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await StopAsync().ConfigureAwait(false);
        await _dataSource.DisposeAsync().ConfigureAwait(false);
    }
}
