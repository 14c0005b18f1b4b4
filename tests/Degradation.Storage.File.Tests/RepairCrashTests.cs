using System.Globalization;
using Degradation.Storage.File;
using Xunit.Abstractions;

namespace Degradation.Tests.Storage;

/// <summary>
/// A log with several kinds of damage is repaired by a child process that is killed (SIGKILL) after step 1, 2, …
/// of the repair, then opened again here: every loss must be reported with its exact range, none twice except when
/// the kill fell between delivering and marking delivered, and a third open reports nothing.
/// </summary>
public sealed class RepairCrashTests(ITestOutputHelper output)
{
    [Fact]
    public async Task A_kill_at_any_step_of_a_repair_neither_loses_nor_repeats_a_loss_report()
    {
        using var pristine = new TempDirectory();
        var (expected, lost) = await BuildDamagedLogAsync(pristine.Path);
        output.WriteLine("expected reports: " + string.Join(", ", expected));

        for (var killAt = 1; ; killAt++)
        {
            using var trial = new TempDirectory();
            foreach (var file in Directory.GetFiles(pristine.Path)) System.IO.File.Copy(file, Path.Combine(trial.Path, Path.GetFileName(file)));

            List<string> lines;
            using (var child = ChildProcess.Start("recover", trial.Path, killAt.ToString(CultureInfo.InvariantCulture)))
            {
                await child.WaitForExitAsync();
                await child.KillAsync(); // already exited: drains the output
                lines = child.CompleteLines();
            }
            var step = lines.FirstOrDefault(l => l.StartsWith("STEP ", StringComparison.Ordinal))?[5..];
            var opened = lines.Contains("OPENED");
            Assert.True(step is not null || opened, $"the child neither reached step {killAt} nor opened: {string.Join(" | ", lines)}");
            var fromChild = lines.Where(l => l.StartsWith("C ", StringComparison.Ordinal)).Select(l => l[2..]).ToList();

            var fromParent = new List<string>();
            var options = WalTestKit.Options(trial.Path, 4096);
            options.CorruptionDetected = c => fromParent.Add(Range(c));
            long next;
            await using (var store = await FileWalStore.OpenAsync(options))
            {
                Assert.Equal(80 - lost, (await WalTestKit.ReadAll(store)).Count);
                next = (await store.AppendAsync([WalTestKit.Record("after")]))[0];
            }
            output.WriteLine($"kill at step {killAt} ({step ?? "none: opened"}): child delivered [{string.Join(", ", fromChild)}], reopen delivered [{string.Join(", ", fromParent)}], next sequence {next}");

            Assert.Equal(expected.Order(), fromChild.Union(fromParent).Order());
            Assert.Equal(fromChild.Count, fromChild.Distinct().Count());
            Assert.Equal(fromParent.Count, fromParent.Distinct().Count());
            if (step == "delivered") Assert.Equal(expected.Order(), fromParent.Order()); // delivered, not yet marked: told again
            else Assert.Empty(fromChild.Intersect(fromParent));
            Assert.True(next > 80, $"a lost or used sequence number was handed out again: {next}");

            var third = WalTestKit.Options(trial.Path, 4096);
            var again = new List<string>();
            third.CorruptionDetected = c => again.Add(Range(c));
            await using (var store = await FileWalStore.OpenAsync(third)) Assert.Empty(store.Recovery.Corruptions);
            Assert.Empty(again);
            if (opened) break;
            Assert.True(killAt < 20, "the repair has more steps than expected");
        }
    }

    private static string Range(WalCorruption c) =>
        $"{c.FirstLostSequence?.ToString(CultureInfo.InvariantCulture) ?? "-"} {c.LastLostSequence?.ToString(CultureInfo.InvariantCulture) ?? "-"}";

    /// <summary>
    /// 80 records in 4 KiB segments, then: a flipped byte in record 3 (segment 1), the second segment cut at a record
    /// boundary (its last record gone), the fourth segment deleted (one range), garbage after the newest segment's last
    /// record (a torn tail, not a loss). Returns the expected reports as "first last".
    /// </summary>
    private static async Task<(List<string> Expected, int Lost)> BuildDamagedLogAsync(string directory)
    {
        await WalTestKit.WriteRecordsAsync(directory, 80, payloadBytes: 200, segmentBytes: 4096);
        var segments = WalTestKit.Segments(directory);
        Assert.True(segments.Length >= 5, $"expected at least 5 segments, got {segments.Length}");
        var expected = new List<string>();

        var first = System.IO.File.ReadAllBytes(segments[0]);
        var third = WalTestKit.RecordOffsets(first)[2];
        first[third.Offset + 30] ^= 0x01;
        System.IO.File.WriteAllBytes(segments[0], first);
        expected.Add("3 3");

        var second = System.IO.File.ReadAllBytes(segments[1]);
        System.IO.File.WriteAllBytes(segments[1], second[..WalTestKit.RecordOffsets(second)[^1].Offset]);
        var lastOfSecond = WalTestKit.FirstSequence(segments[2]) - 1;
        expected.Add($"{lastOfSecond} {lastOfSecond}");

        System.IO.File.Delete(segments[3]);
        var lostFrom = WalTestKit.FirstSequence(segments[3]);
        var lostTo = WalTestKit.FirstSequence(segments[4]) - 1;
        expected.Add($"{lostFrom} {lostTo}");

        var garbage = new byte[300];
        new Random(15).NextBytes(garbage);
        using (var stream = new FileStream(segments[^1], FileMode.Append)) stream.Write(garbage);
        return (expected, 2 + (int)(lostTo - lostFrom + 1));
    }
}
