using System.Diagnostics;
using System.Globalization;
using Degradation.Storage.File;
using Xunit.Abstractions;

namespace Degradation.Tests.Storage;

/// <summary>
/// Kills a child process that appends to the file WAL with SIGKILL at random moments, then checks that every
/// append the child saw acknowledged is present, in order, exactly once. 200 kills by default;
/// set WAL_CRASH_TRIALS (e.g. 1000) for more.
/// </summary>
public sealed class CrashTests(ITestOutputHelper output)
{
    private const int Seed = 20260126;
    private const int Lanes = 2; // two children at a time, each with its own WAL directory
    private const long SegmentBytes = 64 * 1024; // small, so kills also land around rollovers

    [Fact]
    public async Task Every_acknowledged_append_survives_SIGKILL_in_order_exactly_once()
    {
        var trials = int.TryParse(Environment.GetEnvironmentVariable("WAL_CRASH_TRIALS"), NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n > 0 ? n : 200;
        output.WriteLine($"seed {Seed}, trials {trials}, lanes {Lanes}, child {ChildProcess.ChildDll}");
        var started = Stopwatch.StartNew();
        var lanes = Enumerable.Range(0, Lanes).Select(lane => Task.Run(() => RunLaneAsync(lane, trials / Lanes + (lane < trials % Lanes ? 1 : 0)))).ToArray();
        var results = await Task.WhenAll(lanes);
        var total = results.Aggregate(LaneResult.Sum);

        output.WriteLine($"trials {total.Trials} / acknowledged {total.Acknowledged} / lost {total.Lost} / duplicated {total.Duplicated} / out of order {total.OutOfOrder}"
            + $" / unacknowledged but durable {total.Extra} / torn tails injected {total.TornInjected}, truncated {total.TornTails} / corruptions {total.Corruptions} / {started.Elapsed.TotalSeconds:F1} s");
        Assert.Equal(trials, total.Trials);
        Assert.True(total.Acknowledged > trials, "the children acknowledged appends before being killed");
        Assert.Equal(0, total.Lost);
        Assert.Equal(0, total.Duplicated);
        Assert.Equal(0, total.OutOfOrder);
        Assert.Equal(0, total.Corruptions);
        Assert.Equal(0, total.TornNotTruncated);
    }

    private async Task<LaneResult> RunLaneAsync(int lane, int trials)
    {
        using var directory = new TempDirectory();
        var random = new Random(Seed + lane);
        var verifiedKeys = new HashSet<string>(StringComparer.Ordinal);
        var lastVerified = 0L;
        var result = new LaneResult();
        for (var trial = 0; trial < trials; trial++)
        {
            var childSeed = (lane * 1_000_000) + trial + 1;
            List<string> lines;
            using (var child = ChildProcess.Start("append", directory.Path, childSeed.ToString(CultureInfo.InvariantCulture), SegmentBytes.ToString(CultureInfo.InvariantCulture)))
            {
                await child.WaitReadyAsync(TimeSpan.FromSeconds(60));
                // The random kill point is measured from the first acknowledgement, not from READY: on a loaded machine
                // a child may not run at all in the first 150 ms, and a trial that acknowledged nothing checks nothing.
                await child.WaitFirstAcknowledgementAsync(TimeSpan.FromSeconds(60));
                await Task.Delay(TimeSpan.FromMilliseconds(random.Next(20, 151)));
                await child.KillAsync();
                lines = child.CompleteLines();
            }
            result.Trials++;
            // Every fourth trial also simulates what SIGKILL cannot produce but a power loss can: a torn write at the
            // end of the newest segment (a cut record or a zero-filled extension). It must be cut off, not reported as damage.
            var injected = trial % 4 == 3 && InjectTornTail(directory.Path, random);
            if (injected) result.TornInjected++;

            var acknowledged = lines.Where(l => l.StartsWith("A ", StringComparison.Ordinal)).Select(l =>
            {
                var parts = l.Split(' ');
                return (Sequence: long.Parse(parts[1], CultureInfo.InvariantCulture), Key: parts[2]);
            }).ToList();
            result.Acknowledged += acknowledged.Count;

            await using var store = await FileWalStore.OpenAsync(WalTestKit.Options(directory.Path, SegmentBytes));
            result.Corruptions += store.Recovery.Corruptions.Count;
            if (store.Recovery.TornTailBytesTruncated > 0) result.TornTails++;
            else if (injected) result.TornNotTruncated++;
            var entries = await WalTestKit.ReadAll(store);

            var bySequence = new Dictionary<string, long>(StringComparer.Ordinal);
            var previous = lastVerified;
            var lastIndexPerWriter = new Dictionary<string, int>(StringComparer.Ordinal);
            foreach (var entry in entries)
            {
                var key = entry.Record.IdempotentKey;
                if (entry.Sequence <= previous) result.OutOfOrder++;
                previous = entry.Sequence;
                if (!bySequence.TryAdd(key, entry.Sequence) || verifiedKeys.Contains(key)) result.Duplicated++;
                var cut = key.LastIndexOf('-');
                var index = int.Parse(key[(cut + 1)..], CultureInfo.InvariantCulture);
                if (lastIndexPerWriter.TryGetValue(key[..cut], out var last) && index <= last) result.OutOfOrder++;
                lastIndexPerWriter[key[..cut]] = index;
            }
            var acknowledgedKeys = new HashSet<string>(StringComparer.Ordinal);
            foreach (var (sequence, key) in acknowledged)
            {
                acknowledgedKeys.Add(key);
                if (!bySequence.TryGetValue(key, out var found)) result.Lost++;
                else if (found != sequence) result.OutOfOrder++;
            }
            result.Extra += bySequence.Keys.Count(k => !acknowledgedKeys.Contains(k));

            if (entries.Count > 0)
            {
                await store.MarkReplayedAsync(entries[^1].Sequence);
                lastVerified = entries[^1].Sequence;
            }
            verifiedKeys.UnionWith(bySequence.Keys);
        }
        return result;
    }

    private static bool InjectTornTail(string directory, Random random)
    {
        var newest = WalTestKit.Segments(directory)[^1];
        var bytes = System.IO.File.ReadAllBytes(newest);
        var records = WalTestKit.RecordOffsets(bytes);
        byte[] tail;
        if (records.Count > 0 && random.Next(2) == 0)
        {
            var (offset, length) = records[^1];
            tail = bytes.AsSpan(offset, random.Next(1, length)).ToArray(); // a record cut short
        }
        else
        {
            tail = new byte[random.Next(1, 4097)]; // the file grew but the data never reached the disk
        }
        using var stream = new FileStream(newest, FileMode.Append, FileAccess.Write);
        stream.Write(tail);
        return true;
    }

    private sealed class LaneResult
    {
        public int Trials;
        public long Acknowledged;
        public long Lost;
        public long Duplicated;
        public long OutOfOrder;
        public long Extra;
        public int TornTails;
        public int TornInjected;
        public int TornNotTruncated;
        public int Corruptions;

        public static LaneResult Sum(LaneResult a, LaneResult b) => new()
        {
            Trials = a.Trials + b.Trials,
            Acknowledged = a.Acknowledged + b.Acknowledged,
            Lost = a.Lost + b.Lost,
            Duplicated = a.Duplicated + b.Duplicated,
            OutOfOrder = a.OutOfOrder + b.OutOfOrder,
            Extra = a.Extra + b.Extra,
            TornTails = a.TornTails + b.TornTails,
            TornInjected = a.TornInjected + b.TornInjected,
            TornNotTruncated = a.TornNotTruncated + b.TornNotTruncated,
            Corruptions = a.Corruptions + b.Corruptions,
        };
    }
}
