using System.Buffers.Binary;
using Degradation.Storage.File;

namespace Degradation.Tests.Storage;

/// <summary>Damage on disk gives a clear outcome — quarantine + alert, or a typed error — never a crash or a silent skip.</summary>
public sealed class FileWalCorruptionTests : IDisposable
{
    private readonly TempDirectory _dir = new();
    private readonly CollectingAlertSink _alerts = new();
    private readonly List<WalCorruption> _callbacks = [];

    public void Dispose() => _dir.Dispose();

    private FileWalStoreOptions Options(long segmentBytes = 64L * 1024 * 1024, bool failOnCorruption = false)
    {
        var options = WalTestKit.Options(_dir.Path, segmentBytes);
        options.AlertSink = _alerts;
        options.CorruptionDetected = _callbacks.Add;
        options.FailOnCorruption = failOnCorruption;
        return options;
    }

    private string OnlySegment() => Assert.Single(WalTestKit.Segments(_dir.Path));

    private string QuarantineFolder => Path.Combine(_dir.Path, "quarantine");

    private static void Mutate(string path, Action<byte[]> change, int? newLength = null)
    {
        var bytes = System.IO.File.ReadAllBytes(path);
        change(bytes);
        System.IO.File.WriteAllBytes(path, newLength is { } n ? bytes[..n] : bytes);
    }

    [Fact]
    public async Task Flipped_byte_in_the_middle_quarantines_the_segment_alerts_and_keeps_every_other_record()
    {
        await WalTestKit.WriteRecordsAsync(_dir.Path, 10);
        var segment = OnlySegment();
        var original = System.IO.File.ReadAllBytes(segment);
        var (offset, length) = WalTestKit.RecordOffsets(original)[4]; // record 5
        Mutate(segment, b => b[offset + length - 3] ^= 0x40);

        await using var store = await FileWalStore.OpenAsync(Options());

        var corruption = Assert.Single(store.Recovery.Corruptions);
        Assert.Equal(5, corruption.FirstLostSequence);
        Assert.Equal(5, corruption.LastLostSequence);
        Assert.True(corruption.LostUnreplayedEntries);
        Assert.Equal(9, corruption.SalvagedRecords);
        Assert.Equal(offset, corruption.Offset);
        Assert.Contains("checksum", corruption.Problem);
        Assert.Equal(["k1", "k2", "k3", "k4", "k6", "k7", "k8", "k9", "k10"], await WalTestKit.Keys(store));
        // The untouched original is kept for inspection.
        Assert.Equal(original.Length, new FileInfo(corruption.QuarantinePath!).Length);
        Assert.StartsWith(QuarantineFolder, corruption.QuarantinePath);
        var alert = Assert.Single(_alerts.Alerts);
        Assert.Equal(Severity.Critical, alert.Severity);
        Assert.Equal(ComponentId.Db, alert.Component);
        Assert.Equal(WalReasons.Corrupt, alert.Reason);
        Assert.Contains("record 5 lost", alert.Message);
        Assert.Equal(corruption, Assert.Single(_callbacks));
        Assert.Equal(11, (await store.AppendAsync([WalTestKit.Record("k11")]))[0]);
    }

    [Fact]
    public async Task After_quarantine_the_salvaged_segment_opens_clean()
    {
        await WalTestKit.WriteRecordsAsync(_dir.Path, 10);
        var segment = OnlySegment();
        var (offset, _) = WalTestKit.RecordOffsets(System.IO.File.ReadAllBytes(segment))[2];
        Mutate(segment, b => b[offset + 20] ^= 0xFF);
        await using (await FileWalStore.OpenAsync(Options())) { }
        _alerts.Alerts.Clear();

        await using var again = await FileWalStore.OpenAsync(Options());
        Assert.Empty(again.Recovery.Corruptions);
        Assert.Empty(_alerts.Alerts);
        Assert.Equal(9, (await WalTestKit.ReadAll(again)).Count);
    }

    [Fact]
    public async Task Damaged_length_field_is_resynchronized_so_later_records_are_kept()
    {
        await WalTestKit.WriteRecordsAsync(_dir.Path, 10);
        var segment = OnlySegment();
        var (offset, _) = WalTestKit.RecordOffsets(System.IO.File.ReadAllBytes(segment))[3];
        Mutate(segment, b => BinaryPrimitives.WriteUInt32LittleEndian(b.AsSpan(offset + 4), 0x7FFF_FFF0));

        await using var store = await FileWalStore.OpenAsync(Options());
        var corruption = Assert.Single(store.Recovery.Corruptions);
        Assert.Equal((4L, 4L), (corruption.FirstLostSequence!.Value, corruption.LastLostSequence!.Value));
        Assert.Equal(9, (await WalTestKit.ReadAll(store)).Count);
    }

    [Fact]
    public async Task Truncated_record_header_at_the_end_is_a_torn_write_cut_off_without_alert()
    {
        await WalTestKit.WriteRecordsAsync(_dir.Path, 5);
        var segment = OnlySegment();
        var length = new FileInfo(segment).Length;
        using (var stream = new FileStream(segment, FileMode.Append)) stream.Write(new byte[] { 0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77 });

        await using var store = await FileWalStore.OpenAsync(Options());

        Assert.Equal(7, store.Recovery.TornTailBytesTruncated);
        Assert.Empty(store.Recovery.Corruptions);
        Assert.Empty(_alerts.Alerts);
        Assert.Equal(length, new FileInfo(segment).Length);
        Assert.Equal(5, (await WalTestKit.ReadAll(store)).Count);
        Assert.Equal(6, (await store.AppendAsync([WalTestKit.Record("k6")]))[0]);
    }

    [Fact]
    public async Task Record_cut_short_at_the_end_is_a_torn_write_cut_off()
    {
        await WalTestKit.WriteRecordsAsync(_dir.Path, 5);
        var segment = OnlySegment();
        var (offset, length) = WalTestKit.RecordOffsets(System.IO.File.ReadAllBytes(segment))[4];
        Mutate(segment, _ => { }, offset + length - 10);

        await using var store = await FileWalStore.OpenAsync(Options());
        Assert.Equal(length - 10, store.Recovery.TornTailBytesTruncated);
        Assert.Empty(store.Recovery.Corruptions);
        Assert.Equal(["k1", "k2", "k3", "k4"], await WalTestKit.Keys(store));
    }

    [Fact]
    public async Task Zero_filled_tail_is_cut_off()
    {
        await WalTestKit.WriteRecordsAsync(_dir.Path, 5);
        var segment = OnlySegment();
        var length = new FileInfo(segment).Length;
        using (var stream = new FileStream(segment, FileMode.Append)) stream.Write(new byte[8192]);

        await using var store = await FileWalStore.OpenAsync(Options());
        Assert.Equal(8192, store.Recovery.TornTailBytesTruncated);
        Assert.Empty(store.Recovery.Corruptions);
        Assert.Equal(length, new FileInfo(segment).Length);
        Assert.Equal(5, (await WalTestKit.ReadAll(store)).Count);
    }

    [Fact]
    public async Task Zeroed_block_in_the_middle_is_damage_not_a_torn_tail()
    {
        await WalTestKit.WriteRecordsAsync(_dir.Path, 10);
        var segment = OnlySegment();
        var offsets = WalTestKit.RecordOffsets(System.IO.File.ReadAllBytes(segment));
        Mutate(segment, b => Array.Clear(b, offsets[2].Offset, offsets[3].Offset + offsets[3].Length - offsets[2].Offset));

        await using var store = await FileWalStore.OpenAsync(Options());
        var corruption = Assert.Single(store.Recovery.Corruptions);
        Assert.Equal((3L, 4L), (corruption.FirstLostSequence!.Value, corruption.LastLostSequence!.Value));
        Assert.Single(_alerts.Alerts);
        Assert.Equal(8, (await WalTestKit.ReadAll(store)).Count);
    }

    [Fact]
    public async Task Flipped_byte_in_the_final_write_group_is_a_torn_tail_not_an_acknowledged_loss()
    {
        // Record 5 was the last write group: no later record says it was ever fsync'd, so a damaged copy cannot be
        // told from a write the crash tore. It is cut off as a torn tail, without a critical alert.
        await WalTestKit.WriteRecordsAsync(_dir.Path, 5);
        var segment = OnlySegment();
        var (offset, length) = WalTestKit.RecordOffsets(System.IO.File.ReadAllBytes(segment))[4];
        Mutate(segment, b => b[offset + 30] ^= 0x01);

        await using var store = await FileWalStore.OpenAsync(Options());
        Assert.Empty(store.Recovery.Corruptions);
        Assert.Equal(length, store.Recovery.TornTailBytesTruncated);
        Assert.Empty(_alerts.Alerts);
        Assert.Equal(["k1", "k2", "k3", "k4"], await WalTestKit.Keys(store));
        Assert.Equal(5, (await store.AppendAsync([WalTestKit.Record("k5-again")]))[0]); // never acknowledged, so free
    }

    [Fact]
    public async Task Garbage_after_the_last_record_is_a_torn_tail_without_a_critical_alert()
    {
        await WalTestKit.WriteRecordsAsync(_dir.Path, 5);
        var segment = OnlySegment();
        var length = new FileInfo(segment).Length;
        var garbage = new byte[700];
        new Random(15).NextBytes(garbage);
        using (var stream = new FileStream(segment, FileMode.Append)) stream.Write(garbage);

        await using var store = await FileWalStore.OpenAsync(Options());
        Assert.Empty(store.Recovery.Corruptions);
        Assert.Empty(_alerts.Alerts);
        Assert.Equal(700, store.Recovery.TornTailBytesTruncated);
        Assert.Equal(length, new FileInfo(segment).Length);
        Assert.Equal(5, (await WalTestKit.ReadAll(store)).Count);
    }

    [Fact]
    public async Task Damage_inside_an_acknowledged_group_of_the_newest_segment_is_a_loss_not_a_torn_tail()
    {
        await WalTestKit.WriteRecordsAsync(_dir.Path, 6);
        var segment = OnlySegment();
        var records = WalTestKit.RecordOffsets(System.IO.File.ReadAllBytes(segment));
        // Records 4 and 5 damaged; record 6 (durable-through 5) proves they had been fsync'd before it was written.
        Mutate(segment, b => { b[records[3].Offset + 30] ^= 0x01; b[records[4].Offset + 30] ^= 0x01; });

        await using var store = await FileWalStore.OpenAsync(Options());
        var corruption = Assert.Single(store.Recovery.Corruptions);
        Assert.Equal((4L, 5L), (corruption.FirstLostSequence!.Value, corruption.LastLostSequence!.Value));
        Assert.Equal(records[3].Offset, corruption.Offset);
        Assert.Equal(0, store.Recovery.TornTailBytesTruncated);
        Assert.Equal(["k1", "k2", "k3", "k6"], await WalTestKit.Keys(store));
    }

    [Fact]
    public async Task Damaged_end_of_an_older_segment_loses_exactly_the_records_up_to_the_next_segment()
    {
        await WalTestKit.WriteRecordsAsync(_dir.Path, 40, payloadBytes: 200, segmentBytes: 4096);
        var segments = WalTestKit.Segments(_dir.Path);
        Assert.True(segments.Length >= 3);
        var first = segments[0];
        var records = WalTestKit.RecordOffsets(System.IO.File.ReadAllBytes(first));
        var (offset, _) = records[^1];
        Mutate(first, b => b[offset + 40] ^= 0x10);

        await using var store = await FileWalStore.OpenAsync(Options(segmentBytes: 4096));
        var corruption = Assert.Single(store.Recovery.Corruptions);
        Assert.Equal(records.Count, corruption.FirstLostSequence);
        Assert.Equal(records.Count, corruption.LastLostSequence);
        Assert.Equal(39, (await WalTestKit.ReadAll(store)).Count);
    }

    /// <summary>80 records of 200-byte payloads in 4 KiB segments: several segments, record i = key ki.</summary>
    private async Task<string[]> WriteSegmentedLogAsync()
    {
        await WalTestKit.WriteRecordsAsync(_dir.Path, 80, payloadBytes: 200, segmentBytes: 4096);
        var segments = WalTestKit.Segments(_dir.Path);
        Assert.True(segments.Length >= 4, $"expected at least 4 segments, got {segments.Length}");
        return segments;
    }

    [Fact]
    public async Task Older_segment_cut_exactly_at_a_record_boundary_reports_the_missing_records_once()
    {
        var segments = await WriteSegmentedLogAsync();
        var records = WalTestKit.RecordOffsets(System.IO.File.ReadAllBytes(segments[0]));
        var lastOfFirst = WalTestKit.FirstSequence(segments[1]) - 1;
        Mutate(segments[0], _ => { }, records[^2].Offset); // its last two records gone, the file ends cleanly

        await using (var store = await FileWalStore.OpenAsync(Options(segmentBytes: 4096)))
        {
            var corruption = Assert.Single(store.Recovery.Corruptions);
            Assert.Equal((lastOfFirst - 1, lastOfFirst), (corruption.FirstLostSequence!.Value, corruption.LastLostSequence!.Value));
            Assert.True(corruption.LostUnreplayedEntries);
            Assert.Equal(segments[1], corruption.SegmentPath);
            Assert.Contains("missing", corruption.Problem);
            Assert.Equal(corruption, Assert.Single(_callbacks));
            Assert.Contains("buffered writes lost", Assert.Single(_alerts.Alerts).Title);
            Assert.Equal(78, (await WalTestKit.ReadAll(store)).Count);
            Assert.Equal(81, (await store.AppendAsync([WalTestKit.Record("k81")]))[0]);
        }
        _alerts.Alerts.Clear();
        _callbacks.Clear();
        await using var again = await FileWalStore.OpenAsync(Options(segmentBytes: 4096));
        Assert.Empty(again.Recovery.Corruptions); // reported exactly once
        Assert.Empty(_callbacks);
        Assert.Empty(_alerts.Alerts);
        Assert.Equal(79, (await WalTestKit.ReadAll(again)).Count);
    }

    [Fact]
    public async Task Older_segment_cut_mid_record_reports_the_exact_range_and_keeps_a_quarantine_copy()
    {
        var segments = await WriteSegmentedLogAsync();
        var original = System.IO.File.ReadAllBytes(segments[1]);
        var records = WalTestKit.RecordOffsets(original);
        var lastOfSecond = WalTestKit.FirstSequence(segments[2]) - 1;
        Mutate(segments[1], _ => { }, records[^2].Offset + 30); // cut inside its second-to-last record

        await using var store = await FileWalStore.OpenAsync(Options(segmentBytes: 4096));
        var corruption = Assert.Single(store.Recovery.Corruptions);
        Assert.Equal((lastOfSecond - 1, lastOfSecond), (corruption.FirstLostSequence!.Value, corruption.LastLostSequence!.Value));
        Assert.Equal(records[^2].Offset, corruption.Offset);
        Assert.Equal(segments[1], corruption.SegmentPath);
        Assert.Equal(records[^2].Offset + 30, new FileInfo(corruption.QuarantinePath!).Length);
        Assert.Equal(78, (await WalTestKit.ReadAll(store)).Count);
    }

    [Fact]
    public async Task Missing_middle_segment_reports_its_whole_range_once()
    {
        var segments = await WriteSegmentedLogAsync();
        var first = WalTestKit.FirstSequence(segments[2]);
        var last = WalTestKit.FirstSequence(segments[3]) - 1;
        System.IO.File.Delete(segments[2]);

        await using (var store = await FileWalStore.OpenAsync(Options(segmentBytes: 4096)))
        {
            var corruption = Assert.Single(store.Recovery.Corruptions);
            Assert.Equal((first, last), (corruption.FirstLostSequence!.Value, corruption.LastLostSequence!.Value));
            Assert.True(corruption.LostUnreplayedEntries);
            Assert.Equal(segments[3], corruption.SegmentPath);
            Assert.Equal(80 - (last - first + 1), (await WalTestKit.ReadAll(store)).Count);
        }
        await using var again = await FileWalStore.OpenAsync(Options(segmentBytes: 4096));
        Assert.Empty(again.Recovery.Corruptions);
        Assert.Single(_callbacks);
    }

    [Fact]
    public async Task Missing_oldest_unreplayed_segment_is_reported_from_the_checkpoint_on()
    {
        var segments = await WriteSegmentedLogAsync();
        var secondFirst = WalTestKit.FirstSequence(segments[1]);
        await using (var store = await FileWalStore.OpenAsync(Options(segmentBytes: 4096))) await store.MarkReplayedAsync(3);
        System.IO.File.Delete(segments[0]);

        await using var reopened = await FileWalStore.OpenAsync(Options(segmentBytes: 4096));
        var corruption = Assert.Single(reopened.Recovery.Corruptions);
        Assert.Equal((4L, secondFirst - 1), (corruption.FirstLostSequence!.Value, corruption.LastLostSequence!.Value));
    }

    [Fact]
    public async Task Loss_at_the_end_of_the_log_proven_by_the_checkpoint_is_reported_and_its_numbers_not_reused()
    {
        await WalTestKit.WriteRecordsAsync(_dir.Path, 10);
        await using (var store = await FileWalStore.OpenAsync(Options())) await store.MarkReplayedAsync(10);
        var segment = OnlySegment();
        Mutate(segment, _ => { }, WalTestKit.RecordOffsets(System.IO.File.ReadAllBytes(segment))[7].Offset); // records 8..10 gone

        await using var reopened = await FileWalStore.OpenAsync(Options());
        var corruption = Assert.Single(reopened.Recovery.Corruptions);
        Assert.Equal((8L, 10L), (corruption.FirstLostSequence!.Value, corruption.LastLostSequence!.Value));
        Assert.False(corruption.LostUnreplayedEntries); // all three had been replayed
        Assert.Equal(11, (await reopened.AppendAsync([WalTestKit.Record("k11")]))[0]);
    }

    [Fact]
    public async Task A_report_whose_delivery_failed_is_delivered_on_the_next_open_and_then_marked()
    {
        await WalTestKit.WriteRecordsAsync(_dir.Path, 10);
        var segment = OnlySegment();
        var (offset, _) = WalTestKit.RecordOffsets(System.IO.File.ReadAllBytes(segment))[2];
        Mutate(segment, b => b[offset + 30] ^= 0x01);
        var failing = WalTestKit.Options(_dir.Path);
        failing.CorruptionDetected = _ => throw new InvalidOperationException("callback bug");
        await using (var store = await FileWalStore.OpenAsync(failing)) Assert.Single(store.Recovery.Corruptions);

        await using (var store = await FileWalStore.OpenAsync(Options()))
        {
            var corruption = Assert.Single(_callbacks);
            Assert.Equal((3L, 3L), (corruption.FirstLostSequence!.Value, corruption.LastLostSequence!.Value));
            Assert.NotNull(corruption.QuarantinePath);
            Assert.Single(_alerts.Alerts);
            Assert.Equal(11, (await store.AppendAsync([WalTestKit.Record("k11")]))[0]);
        }
        await using var third = await FileWalStore.OpenAsync(Options());
        Assert.Empty(third.Recovery.Corruptions);
        Assert.Single(_callbacks);
    }

    [Fact]
    public async Task A_damaged_loss_journal_is_a_typed_error_not_a_silent_reset()
    {
        await WalTestKit.WriteRecordsAsync(_dir.Path, 10);
        var segment = OnlySegment();
        var offsets = WalTestKit.RecordOffsets(System.IO.File.ReadAllBytes(segment));
        Mutate(segment, b => { b[offsets[2].Offset + 30] ^= 0x01; b[offsets[5].Offset + 30] ^= 0x01; });
        await using (await FileWalStore.OpenAsync(Options())) { }
        var journal = Path.Combine(_dir.Path, "losses");
        Mutate(journal, b => b[16 + 12] ^= 0xFF); // inside the first of several entries

        var ex = await Assert.ThrowsAsync<WalCorruptedException>(async () => await FileWalStore.OpenAsync(Options()));
        Assert.Equal(journal, ex.FilePath);
    }

    [Fact]
    public async Task Truncated_header_of_the_newest_segment_is_an_interrupted_creation_and_is_removed()
    {
        await WalTestKit.WriteRecordsAsync(_dir.Path, 3);
        var torn = Path.Combine(_dir.Path, "00000000000000000004.wal");
        System.IO.File.WriteAllBytes(torn, System.IO.File.ReadAllBytes(OnlySegment())[..10]);

        await using var store = await FileWalStore.OpenAsync(Options());
        Assert.Empty(store.Recovery.Corruptions);
        Assert.Equal(10, store.Recovery.TornTailBytesTruncated);
        Assert.False(System.IO.File.Exists(torn));
        Assert.Equal(3, (await WalTestKit.ReadAll(store)).Count);
        Assert.Equal(4, (await store.AppendAsync([WalTestKit.Record("k4")]))[0]);
    }

    [Fact]
    public async Task Truncated_header_of_an_older_segment_is_damage_with_its_records_reported_lost()
    {
        await WalTestKit.WriteRecordsAsync(_dir.Path, 40, payloadBytes: 200, segmentBytes: 4096);
        var segments = WalTestKit.Segments(_dir.Path);
        var second = segments[1];
        Mutate(second, _ => { }, 20);
        var firstOfSecond = long.Parse(Path.GetFileNameWithoutExtension(second), System.Globalization.CultureInfo.InvariantCulture);
        var firstOfThird = long.Parse(Path.GetFileNameWithoutExtension(segments[2]), System.Globalization.CultureInfo.InvariantCulture);

        await using var store = await FileWalStore.OpenAsync(Options(segmentBytes: 4096));
        var corruption = Assert.Single(store.Recovery.Corruptions);
        Assert.Contains("header truncated", corruption.Problem);
        Assert.Equal(firstOfSecond, corruption.FirstLostSequence);
        Assert.Equal(firstOfThird - 1, corruption.LastLostSequence);
        Assert.Single(_alerts.Alerts);
        Assert.Equal(40 - (firstOfThird - firstOfSecond), (await WalTestKit.ReadAll(store)).Count);
    }

    [Fact]
    public async Task Wrong_magic_is_quarantined_and_the_records_behind_it_are_kept()
    {
        await WalTestKit.WriteRecordsAsync(_dir.Path, 6);
        var segment = OnlySegment();
        Mutate(segment, b => b[0] = (byte)'X');

        await using var store = await FileWalStore.OpenAsync(Options());
        var corruption = Assert.Single(store.Recovery.Corruptions);
        Assert.Contains("magic", corruption.Problem);
        Assert.Null(corruption.FirstLostSequence);
        Assert.NotNull(corruption.QuarantinePath);
        Assert.Single(_alerts.Alerts);
        Assert.Equal(6, (await WalTestKit.ReadAll(store)).Count);
    }

    [Fact]
    public async Task Unsupported_version_is_a_typed_error_and_nothing_is_changed()
    {
        await WalTestKit.WriteRecordsAsync(_dir.Path, 3);
        var segment = OnlySegment();
        Mutate(segment, b =>
        {
            BinaryPrimitives.WriteUInt16LittleEndian(b.AsSpan(4), 9);
            BinaryPrimitives.WriteUInt32LittleEndian(b.AsSpan(28), Degradation.Storage.File.Format.Crc32C.Compute(b.AsSpan(0, 28)));
        });
        var before = System.IO.File.ReadAllBytes(segment);

        var ex = await Assert.ThrowsAsync<UnsupportedWalVersionException>(async () => await FileWalStore.OpenAsync(Options()));
        Assert.Equal(9, ex.Version);
        Assert.Equal(segment, ex.FilePath);
        Assert.Equal(before, System.IO.File.ReadAllBytes(segment));
        Assert.False(Directory.Exists(QuarantineFolder));
        using (new FileStream(Path.Combine(_dir.Path, "wal.lock"), FileMode.Open, FileAccess.ReadWrite, FileShare.None)) { } // the failed open released its lock
    }

    [Fact]
    public async Task FailOnCorruption_throws_a_typed_error_naming_file_and_offset_and_changes_nothing()
    {
        await WalTestKit.WriteRecordsAsync(_dir.Path, 10);
        var segment = OnlySegment();
        var (offset, _) = WalTestKit.RecordOffsets(System.IO.File.ReadAllBytes(segment))[5];
        Mutate(segment, b => b[offset + 25] ^= 0x08);
        var before = System.IO.File.ReadAllBytes(segment);

        var ex = await Assert.ThrowsAsync<WalCorruptedException>(async () => await FileWalStore.OpenAsync(Options(failOnCorruption: true)));
        Assert.Equal(segment, ex.FilePath);
        Assert.Equal(offset, ex.Offset);
        Assert.Contains(segment, ex.Message);
        Assert.Equal(before, System.IO.File.ReadAllBytes(segment));
        Assert.False(Directory.Exists(QuarantineFolder));
    }

    [Fact]
    public async Task Damage_appearing_after_open_is_detected_on_read_as_a_typed_error()
    {
        await WalTestKit.WriteRecordsAsync(_dir.Path, 5);
        var segment = OnlySegment();
        await using var store = await FileWalStore.OpenAsync(Options());
        var (offset, _) = WalTestKit.RecordOffsets(System.IO.File.ReadAllBytes(segment))[1];
        using (var stream = new FileStream(segment, FileMode.Open, FileAccess.Write, FileShare.ReadWrite))
        {
            stream.Position = offset + 30;
            stream.WriteByte(0xAB);
        }
        var ex = await Assert.ThrowsAsync<WalCorruptedException>(() => WalTestKit.ReadAll(store));
        Assert.Equal(offset, ex.Offset);
    }

    [Fact]
    public async Task Torn_checkpoint_write_falls_back_to_the_previous_checkpoint()
    {
        await using (var store = await FileWalStore.OpenAsync(Options()))
        {
            for (var i = 1; i <= 5; i++) await store.AppendAsync([WalTestKit.Record($"k{i}")]);
            await store.MarkReplayedAsync(2); // generation 1 → slot at 4096
            await store.MarkReplayedAsync(3); // generation 2 → slot at 0
        }
        Mutate(Path.Combine(_dir.Path, "checkpoint"), b => b[10] ^= 0xFF); // the newest slot torn

        await using var reopened = await FileWalStore.OpenAsync(Options());
        Assert.Equal(2, reopened.Recovery.ReplayedThrough);
        Assert.Equal(["k3", "k4", "k5"], await WalTestKit.Keys(reopened));
    }

    [Fact]
    public async Task Unreadable_checkpoint_is_a_typed_error()
    {
        await using (var store = await FileWalStore.OpenAsync(Options()))
        {
            await store.AppendAsync([WalTestKit.Record("a"), WalTestKit.Record("b")]);
            await store.MarkReplayedAsync(1);
            await store.MarkReplayedAsync(2);
        }
        Mutate(Path.Combine(_dir.Path, "checkpoint"), b => { b[3] ^= 0xFF; b[4096 + 3] ^= 0xFF; });

        var ex = await Assert.ThrowsAsync<WalCorruptedException>(async () => await FileWalStore.OpenAsync(Options()));
        Assert.EndsWith("checkpoint", ex.FilePath);
        Assert.Contains("replayed position is unknown", ex.Message);
    }

    [Fact]
    public async Task A_throwing_alert_sink_or_callback_does_not_stop_the_store_from_opening()
    {
        await WalTestKit.WriteRecordsAsync(_dir.Path, 5);
        var segment = OnlySegment();
        var (offset, _) = WalTestKit.RecordOffsets(System.IO.File.ReadAllBytes(segment))[1];
        Mutate(segment, b => b[offset + 30] ^= 0x01);
        var options = WalTestKit.Options(_dir.Path);
        options.AlertSink = new ThrowingSink();
        options.CorruptionDetected = _ => throw new InvalidOperationException("callback bug");

        await using var store = await FileWalStore.OpenAsync(options);
        Assert.Single(store.Recovery.Corruptions);
        Assert.Equal(4, (await WalTestKit.ReadAll(store)).Count);
    }

    private sealed class ThrowingSink : IAlertSink
    {
        public ValueTask SendAsync(Alert alert, CancellationToken cancellationToken) => throw new InvalidOperationException("pager down");
    }
}
