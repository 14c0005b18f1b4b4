using Degradation.Composition;
using Microsoft.Extensions.Hosting;

namespace Degradation.Storage.Postgres;

/// <summary>Starts the PostgreSQL adapter (migration, audit, fleet policy) with the host and stops it on shutdown.</summary>
internal sealed class PostgresHostedService(PostgresDegradation postgres, DegradationRuntime runtime) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken) => postgres.StartAsync(runtime.System, cancellationToken);

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        // The adapter stops before the runtime (hosted services stop in reverse): records the runtime has queued for
        // the adapter's store reach it first. Records made while the runtime itself stops are refused and counted.
        try
        {
            await runtime.FlushAuditAsync(cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            await postgres.StopAsync(cancellationToken).ConfigureAwait(false);
        }
    }
}
