using Degradation.Buffering;
using Degradation.Composition;
using Degradation.Storage.Postgres;

namespace Degradation;

/// <summary>
/// Plugs PostgreSQL storage into a degradation system: on a <see cref="DegradationSystemBuilder"/> directly, or on any
/// adapter over it. (With the hosting package, <c>UsePostgres</c> also starts the audit and the fleet policy.)
/// </summary>
public static class PostgresDegradationBuilderExtensions
{
    /// <summary>
    /// Uses a <see cref="PostgresWalStore"/> over <paramref name="postgres"/>'s data source and schema as the write
    /// buffer's write-ahead log (the runtime flushes and disposes it when it stops; the adapter keeps the data source).
    /// The schema must exist by the time the runtime opens (<see cref="PostgresDegradation.MigrateAsync"/>).
    /// </summary>
    /// <param name="builder">The builder.</param>
    /// <param name="postgres">The adapter whose data source and schema the store uses.</param>
    /// <param name="stream">The WAL stream; the adapter's <see cref="PostgresDegradationOptions.WalStream"/> when null.</param>
    public static TBuilder UsePostgresWal<TBuilder>(this TBuilder builder, PostgresDegradation postgres, string? stream = null)
        where TBuilder : IDegradationBuilder
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(postgres);
        if (stream is not null) ArgumentException.ThrowIfNullOrWhiteSpace(stream);
        builder.Configure(system => system.UseWalStore((runtime, _) =>
            ValueTask.FromResult<IWalStore>(postgres.CreateWalStore(stream, runtime.System.TimeProvider))));
        return builder;
    }

    /// <summary>
    /// Adds <paramref name="postgres"/>'s <see cref="PostgresDegradation.AuditRecords"/> to the runtime's audit stores, so
    /// every audit record that is not a transition (fallback tiers, load and feature levels, approvals, operator actions,
    /// kill-switch outcomes: whatever goes through <see cref="DegradationRuntime.Audit"/>) lands in the
    /// <c>audit_records</c> table once the adapter is started (<see cref="PostgresDegradation.StartAsync"/>, which
    /// writes the transitions). With the hosting package, <c>UsePostgres</c> does this.
    /// </summary>
    /// <param name="builder">The builder.</param>
    /// <param name="postgres">The adapter whose audit store takes the records.</param>
    public static TBuilder UsePostgresAudit<TBuilder>(this TBuilder builder, PostgresDegradation postgres)
        where TBuilder : IDegradationBuilder
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(postgres);
        builder.Configure(system => system.AddAuditStore(postgres.AuditRecords));
        return builder;
    }

    /// <summary>
    /// Keeps operator Halts and overrides in the adapter's schema under <paramref name="stateKey"/>
    /// (<see cref="PostgresOperatorStateStore"/>), so they survive a restart of this process or a move to another host.
    /// The state is read when the system is built, before its gate exists: migrate the schema first
    /// (<see cref="PostgresDegradation.MigrateAsync"/>) — a store that cannot be read starts the system halted.
    /// </summary>
    /// <param name="builder">The builder.</param>
    /// <param name="postgres">The adapter whose data source and schema the store uses.</param>
    /// <param name="stateKey">Whose state this is (e.g. the process or service name); at most 200 characters.</param>
    /// <exception cref="ArgumentException">An empty or too long state key.</exception>
    public static TBuilder UsePostgresOperatorState<TBuilder>(this TBuilder builder, PostgresDegradation postgres, string stateKey)
        where TBuilder : IDegradationBuilder
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(postgres);
        var store = new PostgresOperatorStateStore(postgres.DataSource, stateKey, postgres.Schema); // checks the key now
        builder.Configure(system => system.UseOperatorStateStore(store));
        return builder;
    }
}
