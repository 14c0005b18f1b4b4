using Degradation.Storage.File;
using Degradation.Testing;

namespace Degradation.Tests.Storage;

public sealed class FileWalStoreContractTests : WalStoreContractTests, IDisposable
{
    private readonly List<TempDirectory> _directories = [];
    private readonly Dictionary<IWalStore, string> _paths = [];

    protected override async Task<IWalStore> CreateEmptyStoreAsync()
    {
        var directory = new TempDirectory();
        _directories.Add(directory);
        var store = await FileWalStore.OpenAsync(WalTestKit.Options(directory.Path));
        _paths[store] = directory.Path;
        return store;
    }

    protected override async Task<IWalStore?> ReopenAsync(IWalStore store)
    {
        await store.DisposeAsync();
        var reopened = await FileWalStore.OpenAsync(WalTestKit.Options(_paths[store]));
        _paths[reopened] = _paths[store];
        return reopened;
    }

    public void Dispose()
    {
        foreach (var directory in _directories) directory.Dispose();
    }
}
