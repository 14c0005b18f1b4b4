using BenchmarkDotNet.Attributes;
using Degradation.Storage.File;

namespace Degradation.Benchmarks.Wal;

/// <summary>
/// Durable (fsync-acknowledged) appends of 256-byte payloads to the file WAL: one appender (latency ≈ one write +
/// one fsync), eight concurrent appenders sharing fsyncs through group commit, eight appenders each keeping 16 appends
/// in flight, against the naive baseline of one write + fsync per entry. Results are per append.
/// Targets: ≥ 100,000 appends/s with group commit; single-appender latency ≤ 2 × one fsync.
/// </summary>
[MemoryDiagnoser]
public class WalAppendBenchmarks
{
    private const int Appends = 1000;
    private const int Appenders = 8;
    private const int InFlightPerAppender = 16;

    private string _directory = string.Empty;
    private FileWalStore _store = null!;
    private WalRecord[] _records = [];
    private FileStream _naive = null!;
    private byte[] _naiveEntry = [];
    private long _lastSequence;

    [GlobalSetup]
    public async Task SetupAsync()
    {
        _directory = WalBenchmarkKit.NewDirectory("append");
        _store = await FileWalStore.OpenAsync(WalBenchmarkKit.Options(_directory));
        _records = [.. Enumerable.Range(0, Appends).Select(WalBenchmarkKit.Record)];
        _naive = new FileStream(Path.Combine(_directory, "naive.log"), FileMode.Create, FileAccess.Write, FileShare.None, 1, FileOptions.None);
        _naiveEntry = new byte[WalBenchmarkKit.PayloadBytes + 64]; // about one encoded record
        new Random(1).NextBytes(_naiveEntry);
    }

    [GlobalCleanup]
    public async Task CleanupAsync()
    {
        await _naive.DisposeAsync();
        await _store.DisposeAsync();
        WalBenchmarkKit.DeleteDirectory(_directory);
    }

    [IterationCleanup]
    public void ReclaimSpace()
    {
        // Keep the WAL small between iterations: everything appended so far counts as replayed.
        if (_lastSequence > 0) _store.MarkReplayedAsync(_lastSequence).AsTask().GetAwaiter().GetResult();
        _naive.SetLength(0);
    }

    [Benchmark(Baseline = true, OperationsPerInvoke = Appends)]
    public void NaiveWriteAndFsyncPerEntry()
    {
        for (var i = 0; i < Appends; i++)
        {
            _naive.Write(_naiveEntry);
            _naive.Flush(flushToDisk: true);
        }
    }

    [Benchmark(OperationsPerInvoke = Appends)]
    public async Task OneAppender()
    {
        for (var i = 0; i < Appends; i++) _lastSequence = (await _store.AppendAsync([_records[i]]))[0];
    }

    [Benchmark(OperationsPerInvoke = Appends)]
    public async Task EightAppendersGroupCommit()
    {
        var tasks = new Task<long>[Appenders];
        for (var a = 0; a < Appenders; a++)
        {
            var appender = a;
            tasks[a] = Task.Run(async () =>
            {
                long last = 0;
                for (var i = appender; i < Appends; i += Appenders) last = (await _store.AppendAsync([_records[i]]))[0];
                return last;
            });
        }
        _lastSequence = (await Task.WhenAll(tasks)).Max();
    }

    [Benchmark(OperationsPerInvoke = Appends)]
    public async Task EightAppendersSixteenInFlightEach()
    {
        var tasks = new Task<long>[Appenders];
        for (var a = 0; a < Appenders; a++)
        {
            var appender = a;
            tasks[a] = Task.Run(async () =>
            {
                var window = new Queue<Task<IReadOnlyList<long>>>();
                long last = 0;
                for (var i = appender; i < Appends; i += Appenders)
                {
                    if (window.Count == InFlightPerAppender) last = Math.Max(last, (await window.Dequeue())[0]);
                    window.Enqueue(_store.AppendAsync([_records[i]]).AsTask());
                }
                while (window.Count > 0) last = Math.Max(last, (await window.Dequeue())[0]);
                return last;
            });
        }
        _lastSequence = (await Task.WhenAll(tasks)).Max();
    }
}
