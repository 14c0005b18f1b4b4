using Microsoft.Extensions.Hosting;

namespace Degradation.Storage.Postgres;

/// <summary>Starts the PostgreSQL adapter (migration, audit, fleet policy) with the host and stops it on shutdown.</summary>
internal sealed class PostgresHostedService(PostgresDegradation postgres, DegradationSystem system) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken) => postgres.StartAsync(system, cancellationToken);

    public Task StopAsync(CancellationToken cancellationToken) => postgres.StopAsync(cancellationToken);
}
