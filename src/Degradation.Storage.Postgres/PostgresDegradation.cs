using Npgsql;

namespace Degradation.Storage.Postgres;

/// <summary>
/// The adapter's one-line entry point: migrates the schema, attaches the audit store and starts the fleet
/// policy for a <see cref="DegradationSystem"/>, and makes WAL stores and fleet command issuers.
/// </summary>
/// <example>
/// <code>
/// var options = new DegradationOptions();
/// PostgresFleetPolicyOptions.RegisterLossHandling(options);          // or (options, SystemMode.SafeMode) to fail closed
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
    private PostgresFleetPolicy? _fleet;

    /// <summary>Creates the adapter (no connection is made until it is used).</summary>
    /// <exception cref="ArgumentException">An option is invalid; the message names it.</exception>
    public PostgresDegradation(PostgresDegradationOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (string.IsNullOrWhiteSpace(options.ConnectionString))
            throw new ArgumentException($"{nameof(PostgresDegradationOptions.ConnectionString)} must not be empty.", nameof(options));
        SqlNames.ValidateIdentifier(options.Schema, nameof(PostgresDegradationOptions.Schema));
        ProcessIdentity.Validate(options.ProcessId, nameof(PostgresDegradationOptions.ProcessId));
        ProcessIdentity.Validate(options.HostId, nameof(PostgresDegradationOptions.HostId));
        _options = options;
        _dataSource = NpgsqlDataSource.Create(options.ConnectionString);
    }

    /// <summary>The pooled data source the stores share.</summary>
    public NpgsqlDataSource DataSource => _dataSource;

    /// <summary>The audit store attached by <see cref="StartAsync"/>, if any.</summary>
    public PostgresAuditStore? AuditStore { get { lock (_gate) return _audit; } }

    /// <summary>The fleet policy started by <see cref="StartAsync"/>, if any.</summary>
    public PostgresFleetPolicy? FleetPolicy { get { lock (_gate) return _fleet; } }

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
    /// Migrates (if configured), attaches the audit store to <paramref name="system"/>'s state machine and starts
    /// the fleet policy listener (which connects in the background).
    /// </summary>
    /// <exception cref="InvalidOperationException">Already started.</exception>
    public async Task StartAsync(DegradationSystem system, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(system);
        lock (_gate)
        {
            if (_system is not null) throw new InvalidOperationException("The PostgreSQL adapter is already started.");
            _system = system;
        }
        if (_options.MigrateOnStart) await MigrateAsync(cancellationToken).ConfigureAwait(false);
        if (_options.Audit)
        {
            var audit = new PostgresAuditStore(_dataSource, new PostgresAuditStoreOptions
            {
                Schema = _options.Schema, ProcessId = _options.ProcessId, HostId = _options.HostId,
            }, system.TimeProvider);
            var subscription = await audit.AttachAsync(system.StateMachine, cancellationToken).ConfigureAwait(false);
            lock (_gate)
            {
                _audit = audit;
                _auditSubscription = subscription;
            }
        }
        if (_options.FleetPolicy is { } fleetOptions)
        {
            fleetOptions.Schema = _options.Schema;
            fleetOptions.ProcessId = _options.ProcessId;
            fleetOptions.HostId = _options.HostId;
            fleetOptions.MigrateOnStart = false;
            var fleet = new PostgresFleetPolicy(_options.ConnectionString, fleetOptions);
            lock (_gate) _fleet = fleet;
            await fleet.StartAsync(system, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Stops the fleet policy, lets the audit catch up and detaches it.</summary>
    public async Task StopAsync(CancellationToken cancellationToken = default)
    {
        DegradationSystem? system;
        PostgresFleetPolicy? fleet;
        IDisposable? subscription;
        lock (_gate)
        {
            system = _system;
            fleet = _fleet;
            subscription = _auditSubscription;
            _fleet = null;
            _auditSubscription = null;
            _system = null;
        }
        if (fleet is not null) await fleet.DisposeAsync().ConfigureAwait(false);
        if (system is not null && subscription is not null)
            await system.StateMachine.FlushObserversAsync(cancellationToken).ConfigureAwait(false);
        subscription?.Dispose();
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await StopAsync().ConfigureAwait(false);
        await _dataSource.DisposeAsync().ConfigureAwait(false);
    }
}
