using BenchmarkDotNet.Attributes;
using Degradation.Storage.File;

namespace Degradation.Benchmarks.Wal;

/// <summary>
/// Opening (recovering) a file WAL of 1,000,000 unreplayed 256-byte entries (~330 MB in 64 MiB segments): every record
/// is read and its CRC-32C checked. Target ≤ 2 s.
/// </summary>
[MemoryDiagnoser]
public class WalRecoveryBenchmarks
{
    private const int Entries = 1_000_000;
    private const int Batch = 1000;

    private string _directory = string.Empty;

    [GlobalSetup]
    public async Task SetupAsync()
    {
        _directory = WalBenchmarkKit.NewDirectory("recovery");
        await using var store = await FileWalStore.OpenAsync(WalBenchmarkKit.Options(_directory));
        var records = new WalRecord[Batch];
        for (var i = 0; i < Entries; i += Batch)
        {
            for (var j = 0; j < Batch; j++) records[j] = WalBenchmarkKit.Record(i + j);
            await store.AppendAsync(records);
        }
    }

    [GlobalCleanup]
    public void Cleanup() => WalBenchmarkKit.DeleteDirectory(_directory);

    [Benchmark]
    public async Task<long> OpenOneMillionEntries()
    {
        await using var store = await FileWalStore.OpenAsync(WalBenchmarkKit.Options(_directory));
        if (store.Recovery.UnreplayedEntries != Entries) throw new InvalidOperationException($"recovered {store.Recovery.UnreplayedEntries} entries, expected {Entries}");
        return store.Recovery.UnreplayedEntries;
    }
}
