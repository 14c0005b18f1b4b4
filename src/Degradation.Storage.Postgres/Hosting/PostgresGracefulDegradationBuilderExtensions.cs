using Degradation;
using Degradation.Buffering;
using Degradation.Hosting;
using Degradation.Storage.Postgres;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Wires the PostgreSQL adapter into <c>AddGracefulDegradation()</c>.</summary>
public static class PostgresGracefulDegradationBuilderExtensions
{
    /// <summary>
    /// Uses PostgreSQL for the audit trail of every transition and every other audit record (<c>audit_records</c>) and for
    /// the fleet-wide operator policy (and, with
    /// <paramref name="useForWal"/>, as the write buffer's WAL). The schema is migrated at start; losing the
    /// policy connection reports <c>fleet.policy_lost</c>, mapped to <paramref name="policyLossMode"/>
    /// (SafeMode by default: fail closed; Degraded to keep trading, flagged). Either way the process cannot trade
    /// until it has read the policy once.
    /// </summary>
    /// <param name="builder">The degradation builder.</param>
    /// <param name="connectionString">The Npgsql connection string.</param>
    /// <param name="configure">Schema, process id, fleet policy options.</param>
    /// <param name="useForWal">Register a <see cref="PostgresWalStore"/> as the <see cref="IWalStore"/>.</param>
    /// <param name="policyLossMode">The mode a lost policy connection leads to.</param>
    public static GracefulDegradationBuilder UsePostgres(this GracefulDegradationBuilder builder, string connectionString,
        Action<PostgresDegradationOptions>? configure = null, bool useForWal = false, SystemMode policyLossMode = SystemMode.SafeMode)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionString);
        var options = new PostgresDegradationOptions { ConnectionString = connectionString };
        configure?.Invoke(options);
        if (options.FleetPolicy is { } fleet)
        {
            // Validates the mode now (a bad value fails at registration, naming policyLossMode).
            PostgresFleetPolicyOptions.RegisterLossHandling(new DegradationOptions(), policyLossMode, fleet.Component, fleet.LossReason, fleet.NotReadReason);
            builder.Services.Configure<DegradationOptions>(o =>
                PostgresFleetPolicyOptions.RegisterLossHandling(o, policyLossMode, fleet.Component, fleet.LossReason, fleet.NotReadReason));
        }
        builder.Services.TryAddSingleton(_ => new PostgresDegradation(options));
        builder.Services.TryAddEnumerable(ServiceDescriptor.Singleton<IHostedService, PostgresHostedService>());
        // Every audit record of the runtime (not only transitions) reaches the audit_records table.
        if (options.Audit) builder.Configure((system, services) => system.AddAuditStore(services.GetRequiredService<PostgresDegradation>().AuditRecords));
        if (useForWal)
        {
            builder.Configure((system, services) => system.UseWalStore(async (runtime, cancellationToken) =>
            {
                var postgres = services.GetRequiredService<PostgresDegradation>();
                // The write buffer opens (and reads this table) before the adapter's own hosted service migrates.
                if (options.MigrateOnStart) await postgres.MigrateAsync(cancellationToken).ConfigureAwait(false);
                return postgres.CreateWalStore(options.WalStream, runtime.System.TimeProvider);
            }));
        }
        return builder;
    }
}
