using System.Diagnostics;
using System.Globalization;
using BenchmarkDotNet.Attributes;
using Degradation.Storage.File;

namespace Degradation.Benchmarks.Wal;

/// <summary>
/// Durable (fsync-acknowledged) appends of 256-byte payloads to the file WAL, each appender awaiting its own
/// acknowledgement before its next append: 1, 8 and 64 appenders sharing fsyncs through group commit, plus eight
/// appenders each keeping 16 appends in flight, against the naive baseline of one write + fsync per entry measured
/// in the same run. Results are per append (OperationsPerInvoke). The disk's ceiling for N appenders that each
/// wait for their own acknowledgement is N ÷ fsync latency; the baseline's mean is that fsync latency.
/// Targets: ≥ 80 % of that ceiling for 1, 8 and 64 appenders; one appender ≤ 1.2 × the baseline.
/// Each method also records every append's latency; p50/p99 are printed at the end of its run
/// (all invocations, warm-up included) as "// WAL latency …", and the average appends per data fsync as
/// "// WAL group commit …" (N appenders reach the ceiling when every fsync carries N appends).
/// </summary>
[MemoryDiagnoser]
public class WalAppendBenchmarks
{
    private const int Appends = 2048;
    private const int InFlightPerAppender = 16;

    private string _directory = string.Empty;
    private FileWalStore _store = null!;
    private WalRecord[] _records = [];
    private FileStream _naive = null!;
    private byte[] _naiveEntry = [];
    private long _lastSequence;
    private readonly List<long> _latencies = [];
    private long[] _invocationLatencies = [];
    private long _flushesBefore;
    private long _storeAppends;
    private long _storeFlushes;

    [GlobalSetup]
    public void Setup()
    {
        // Synchronous on purpose: the in-process toolchain must not start a benchmark before the store is open.
        _directory = WalBenchmarkKit.NewDirectory("append");
        _store = FileWalStore.OpenAsync(WalBenchmarkKit.Options(_directory)).AsTask().GetAwaiter().GetResult();
        _records = [.. Enumerable.Range(0, Appends).Select(WalBenchmarkKit.Record)];
        _naive = new FileStream(Path.Combine(_directory, "naive.log"), FileMode.Create, FileAccess.Write, FileShare.None, 1, FileOptions.None);
        _naiveEntry = new byte[WalBenchmarkKit.PayloadBytes + 64]; // about one encoded record
        new Random(1).NextBytes(_naiveEntry);
        _invocationLatencies = new long[Appends];
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        if (_latencies.Count > 0)
        {
            var sorted = _latencies.Order().ToArray();
            double Micros(double q) => sorted[Math.Min(sorted.Length - 1, (int)(q * sorted.Length))] * 1e6 / Stopwatch.Frequency;
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"// WAL latency: p50 {Micros(0.50):F1} µs, p99 {Micros(0.99):F1} µs over {sorted.Length} appends"));
        }
        if (_storeFlushes > 0)
        {
            // Load-independent view of group commit: N appenders that each await their own acknowledgement reach
            // the disk's ceiling (N ÷ fsync latency) exactly when every fsync carries N appends.
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"// WAL group commit: {(double)_storeAppends / _storeFlushes:F2} appends per fsync ({_storeAppends} appends, {_storeFlushes} fsyncs)"));
        }
        _naive.Dispose();
        _store.DisposeAsync().AsTask().GetAwaiter().GetResult();
        WalBenchmarkKit.DeleteDirectory(_directory);
    }

    [IterationSetup]
    public void CountFlushes() => _flushesBefore = _store.DataFlushCount;

    [IterationCleanup]
    public void ReclaimSpace()
    {
        var flushes = _store.DataFlushCount - _flushesBefore;
        if (flushes > 0)
        {
            _storeFlushes += flushes;
            _storeAppends += Appends;
        }
        _latencies.AddRange(_invocationLatencies.Where(l => l > 0));
        Array.Clear(_invocationLatencies);
        // Keep the WAL small between iterations: everything appended so far counts as replayed.
        if (_lastSequence > 0) _store.MarkReplayedAsync(_lastSequence).AsTask().GetAwaiter().GetResult();
        _naive.SetLength(0);
    }

    [Benchmark(Baseline = true, OperationsPerInvoke = Appends)]
    public void NaiveWriteAndFsyncPerEntry()
    {
        for (var i = 0; i < Appends; i++)
        {
            var started = Stopwatch.GetTimestamp();
            _naive.Write(_naiveEntry);
            _naive.Flush(flushToDisk: true);
            _invocationLatencies[i] = Stopwatch.GetTimestamp() - started;
        }
    }

    [Benchmark(OperationsPerInvoke = Appends)]
    public Task OneAppender() => RunAppendersAsync(1);

    [Benchmark(OperationsPerInvoke = Appends)]
    public Task EightAppenders() => RunAppendersAsync(8);

    [Benchmark(OperationsPerInvoke = Appends)]
    public Task SixtyFourAppenders() => RunAppendersAsync(64);

    [Benchmark(OperationsPerInvoke = Appends)]
    public async Task EightAppendersSixteenInFlightEach()
    {
        const int appenders = 8;
        var tasks = new Task<long>[appenders];
        for (var a = 0; a < appenders; a++)
        {
            var appender = a;
            tasks[a] = Task.Run(async () =>
            {
                var window = new Queue<Task<IReadOnlyList<long>>>();
                long last = 0;
                for (var i = appender; i < Appends; i += appenders)
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

    /// <summary><paramref name="appenders"/> concurrent loops, each appending one record and awaiting its acknowledgement.</summary>
    private async Task RunAppendersAsync(int appenders)
    {
        var tasks = new Task<long>[appenders];
        for (var a = 0; a < appenders; a++)
        {
            var appender = a;
            tasks[a] = Task.Run(async () =>
            {
                long last = 0;
                for (var i = appender; i < Appends; i += appenders)
                {
                    var started = Stopwatch.GetTimestamp();
                    last = (await _store.AppendAsync([_records[i]]))[0];
                    _invocationLatencies[i] = Stopwatch.GetTimestamp() - started;
                }
                return last;
            });
        }
        _lastSequence = (await Task.WhenAll(tasks)).Max();
    }
}
