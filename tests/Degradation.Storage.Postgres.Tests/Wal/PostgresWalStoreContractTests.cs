using Degradation.Storage.Postgres;
using Degradation.Testing;
using Npgsql;

namespace Degradation.Tests.Postgres;

/// <summary>The shared WAL contract (the same tests the file WAL runs) against a real PostgreSQL server.</summary>
[Collection(PostgresCollection.Name)]
public sealed class PostgresWalStoreContractTests(PostgresServer server) : WalStoreContractTests, IAsyncLifetime
{
    private readonly string _schema = PostgresServer.NewSchema();
    private NpgsqlDataSource? _dataSource;

    protected override Task<IWalStore> CreateEmptyStoreAsync() =>
        Task.FromResult<IWalStore>(new PostgresWalStore(_dataSource!, new PostgresWalStoreOptions { Schema = _schema, Stream = "s-" + Guid.NewGuid().ToString("N") }));

    protected override async Task<IWalStore?> ReopenAsync(IWalStore store)
    {
        var stream = ((PostgresWalStore)store).Stream;
        await store.DisposeAsync();
        return new PostgresWalStore(_dataSource!, new PostgresWalStoreOptions { Schema = _schema, Stream = stream });
    }

    async Task IAsyncLifetime.InitializeAsync()
    {
        _dataSource = server.CreateDataSource();
        await PostgresSchema.MigrateAsync(_dataSource, _schema);
    }

    async Task IAsyncLifetime.DisposeAsync()
    {
        await DisposeAsync();
        if (_dataSource is not null) await _dataSource.DisposeAsync();
    }
}
