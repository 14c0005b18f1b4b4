using Degradation.Testing;
using Microsoft.Extensions.Time.Testing;
using System.Text;
using Degradation.Storage.File;
using Degradation.Storage.File.Format;

namespace Degradation.Tests.Storage;

public sealed class FileWalStoreTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void Crc32C_matches_the_standard_check_value_and_never_checks_out_all_zeros()
    {
        Assert.Equal(0xE3069283u, Crc32C.Compute("123456789"u8));
        Assert.NotEqual(0u, Crc32C.Compute(new byte[64]));
        Assert.Equal(Crc32C.Compute("123456789"u8), Crc32C.Compute("1234"u8, "56789"u8));
    }

    [Fact]
    public async Task Records_round_trip_unicode_offsets_empty_payloads_and_missing_old_state()
    {
        await using (var store = await FileWalStore.OpenAsync(WalTestKit.Options(_dir.Path)))
        {
            await store.AppendAsync([
                new WalRecord
                {
                    IdempotentKey = "ключ-✓", ResourceType = "fill", ResourceId = "f/1",
                    Payload = ReadOnlyMemory<byte>.Empty, OldState = Encoding.UTF8.GetBytes("{}"),
                    CreatedAt = new DateTimeOffset(2026, 3, 1, 12, 0, 0, TimeSpan.FromHours(-5)),
                },
                WalTestKit.Record("plain") with { OldState = null },
            ]);
        }
        await using var reopened = await FileWalStore.OpenAsync(WalTestKit.Options(_dir.Path));
        var entries = await WalTestKit.ReadAll(reopened);
        Assert.Equal("ключ-✓", entries[0].Record.IdempotentKey);
        Assert.Equal("f/1", entries[0].Record.ResourceId);
        Assert.Equal(0, entries[0].Record.Payload.Length);
        Assert.Equal("{}", Encoding.UTF8.GetString(entries[0].Record.OldState!.Value.Span));
        Assert.Equal(TimeSpan.FromHours(-5), entries[0].Record.CreatedAt.Offset);
        Assert.Equal(new DateTimeOffset(2026, 3, 1, 17, 0, 0, TimeSpan.Zero), entries[0].Record.CreatedAt);
        Assert.Null(entries[1].Record.OldState);
    }

    [Fact]
    public async Task Concurrent_appenders_share_fsyncs_through_group_commit()
    {
        await using var store = await FileWalStore.OpenAsync(WalTestKit.Options(_dir.Path));
        const int appenders = 8, each = 40;
        // Hold the first fsync open until every appender has queued behind it, so concurrency is certain
        // even where fsync is nearly free (tmpfs) and appenders would otherwise never overlap.
        using var inFlush = new ManualResetEventSlim();
        using var release = new ManualResetEventSlim();
        var first = 1;
        store.BeforeDataFlush = () =>
        {
            if (Interlocked.Exchange(ref first, 0) == 0) return;
            inFlush.Set();
            release.Wait(TimeSpan.FromSeconds(30));
        };
        var lead = Task.Run(() => store.AppendAsync([WalTestKit.Record("lead", 256)]).AsTask());
        Assert.True(inFlush.Wait(TimeSpan.FromSeconds(30)), "the first append never reached its fsync");
        var queued = Enumerable.Range(0, appenders).Select(w => store.AppendAsync([WalTestKit.Record($"w{w}-0", 256)]).AsTask()).ToList();
        Assert.All(queued, t => Assert.False(t.IsCompleted, "an append was acknowledged before its fsync"));
        release.Set();
        await Task.WhenAll(queued.Append(lead));
        await Task.WhenAll(Enumerable.Range(0, appenders).Select(w => Task.Run(async () =>
        {
            for (var i = 1; i < each; i++) await store.AppendAsync([WalTestKit.Record($"w{w}-{i}", 256)]);
        })));
        var appends = appenders * each + 1;
        Assert.Equal(appends, (await store.GetStatsAsync()).Entries);
        Assert.True(store.DataFlushCount < appends, $"{store.DataFlushCount} fsyncs for {appends} appends: no group commit");
    }

    [Fact]
    public async Task Segments_roll_over_at_the_size_target_and_fully_replayed_ones_are_deleted()
    {
        var options = WalTestKit.Options(_dir.Path, segmentBytes: 4096);
        await using var store = await FileWalStore.OpenAsync(options);
        var sequences = new List<long>();
        for (var i = 0; i < 100; i++) sequences.AddRange(await store.AppendAsync([WalTestKit.Record($"k{i}", 200)]));
        var files = WalTestKit.Segments(_dir.Path);
        Assert.True(files.Length >= 5, $"{files.Length} segments");
        Assert.All(files.SkipLast(1), f => Assert.InRange(new FileInfo(f).Length, 1, 4096));
        Assert.Equal(files.Length, store.SegmentCount);

        await store.MarkReplayedAsync(sequences[60]);
        var left = WalTestKit.Segments(_dir.Path);
        Assert.True(left.Length < files.Length, "replayed segments were deleted");
        Assert.Equal(Enumerable.Range(61, 39).Select(i => $"k{i}"), await WalTestKit.Keys(store));

        await store.MarkReplayedAsync(sequences[^1]);
        Assert.Single(WalTestKit.Segments(_dir.Path)); // the active segment stays
        Assert.Empty(await WalTestKit.ReadAll(store));
    }

    [Fact]
    public async Task Replay_checkpoint_is_durable_and_reading_after_a_position_works_across_segments()
    {
        var options = WalTestKit.Options(_dir.Path, segmentBytes: 4096);
        await using (var store = await FileWalStore.OpenAsync(options))
        {
            for (var i = 1; i <= 60; i++) await store.AppendAsync([WalTestKit.Record($"k{i}", 100)]);
            await store.MarkReplayedAsync(25);
        }
        await using var reopened = await FileWalStore.OpenAsync(options);
        Assert.Equal(25, reopened.Recovery.ReplayedThrough);
        Assert.Equal(35, reopened.Recovery.UnreplayedEntries);
        Assert.Equal(Enumerable.Range(41, 20).Select(i => $"k{i}"), (await WalTestKit.ReadAll(reopened, 40)).Select(e => e.Record.IdempotentKey));
        var stats = await reopened.GetStatsAsync();
        Assert.Equal(35, stats.Entries);
        Assert.Equal(3500, stats.Bytes);
        Assert.Equal(60, stats.LastSequence);
        Assert.Equal(new DateTimeOffset(2026, 1, 26, 9, 30, 0, TimeSpan.Zero), stats.OldestCreatedAt);
        Assert.Equal(61, (await reopened.AppendAsync([WalTestKit.Record("k61")]))[0]);
    }

    [Fact]
    public async Task Sequences_keep_increasing_after_everything_was_replayed_and_reopened()
    {
        await using (var store = await FileWalStore.OpenAsync(WalTestKit.Options(_dir.Path)))
        {
            var s = await store.AppendAsync([WalTestKit.Record("a"), WalTestKit.Record("b")]);
            await store.MarkReplayedAsync(s[1]);
        }
        await using var reopened = await FileWalStore.OpenAsync(WalTestKit.Options(_dir.Path));
        Assert.Equal(3, (await reopened.AppendAsync([WalTestKit.Record("c")]))[0]);
    }

    [Fact]
    public async Task MarkReplayed_beyond_the_last_durable_sequence_is_rejected()
    {
        await using var store = await FileWalStore.OpenAsync(WalTestKit.Options(_dir.Path));
        await store.AppendAsync([WalTestKit.Record("a")]);
        var ex = await Assert.ThrowsAsync<ArgumentOutOfRangeException>(async () => await store.MarkReplayedAsync(2));
        Assert.Equal("sequence", ex.ParamName);
    }

    [Fact]
    public async Task A_second_store_on_the_same_directory_fails_with_a_typed_error_naming_it()
    {
        await using var first = await FileWalStore.OpenAsync(WalTestKit.Options(_dir.Path));
        var ex = await Assert.ThrowsAsync<WalDirectoryLockedException>(async () => await FileWalStore.OpenAsync(WalTestKit.Options(_dir.Path)));
        Assert.Equal(first.DirectoryPath, ex.DirectoryPath);
        Assert.Contains(first.DirectoryPath, ex.Message);

        await first.DisposeAsync();
        await using var second = await FileWalStore.OpenAsync(WalTestKit.Options(_dir.Path)); // the lock is released on dispose
    }

    [Fact]
    public async Task Another_process_holding_the_directory_locks_this_one_out()
    {
        using var child = ChildProcess.Start("hold", _dir.Path);
        await child.WaitReadyAsync(TimeSpan.FromSeconds(60));
        var ex = await Assert.ThrowsAsync<WalDirectoryLockedException>(async () => await FileWalStore.OpenAsync(WalTestKit.Options(_dir.Path)));
        Assert.Contains(Path.GetFullPath(_dir.Path), ex.Message);

        child.CloseInput();
        await child.WaitForExitAsync();
        await using var store = await FileWalStore.OpenAsync(WalTestKit.Options(_dir.Path));
    }

    [Fact]
    public async Task A_record_above_MaxRecordBytes_is_rejected_naming_the_option_and_nothing_is_written()
    {
        var options = WalTestKit.Options(_dir.Path);
        options.MaxRecordBytes = 1024;
        await using var store = await FileWalStore.OpenAsync(options);
        var ex = await Assert.ThrowsAsync<ArgumentException>(async () => await store.AppendAsync([WalTestKit.Record("ok"), WalTestKit.Record("big", 2000)]));
        Assert.Contains("MaxRecordBytes", ex.Message);
        Assert.Contains("big", ex.Message);
        Assert.Empty(await WalTestKit.ReadAll(store));
    }

    [Theory]
    [InlineData("", 65536, 1024, "DirectoryPath")]
    [InlineData("x", 100, 1024, "SegmentSizeBytes")]
    [InlineData("x", 65536, 10, "MaxRecordBytes")]
    public async Task Invalid_options_are_rejected_naming_the_option(string directory, long segmentBytes, int maxRecord, string option)
    {
        var options = new FileWalStoreOptions { DirectoryPath = directory == "x" ? _dir.Path : directory, SegmentSizeBytes = segmentBytes, MaxRecordBytes = maxRecord };
        var ex = await Assert.ThrowsAsync<ArgumentException>(async () => await FileWalStore.OpenAsync(options));
        Assert.Equal(option, ex.ParamName);
        Assert.Contains(option, ex.Message);
    }

    [Fact]
    public async Task Dispose_waits_for_queued_appends_and_then_refuses_new_ones()
    {
        var store = await FileWalStore.OpenAsync(WalTestKit.Options(_dir.Path));
        var appends = Enumerable.Range(0, 20).Select(i => store.AppendAsync([WalTestKit.Record($"k{i}")]).AsTask()).ToList();
        await store.DisposeAsync();
        Assert.All(appends, a => Assert.True(a.IsCompletedSuccessfully));
        await Assert.ThrowsAsync<ObjectDisposedException>(async () => await store.AppendAsync([WalTestKit.Record("late")]));
        await using var reopened = await FileWalStore.OpenAsync(WalTestKit.Options(_dir.Path));
        Assert.Equal(20, (await reopened.GetStatsAsync()).Entries);
    }

    [Fact]
    public async Task Write_buffer_over_the_file_store_resumes_replay_after_a_restart_without_duplicates()
    {
        var time = new FakeTimeProvider(FakeTimeProviderExtensions.TestStart);
        await using var system = DegradationSystem.Create(null, time);
        var applied = new List<string>();
        var failOn = "k4";
        var target = BufferedWriteTarget.Create((entry, _) =>
        {
            if (entry.Record.IdempotentKey == failOn) throw new IOException("database down");
            applied.Add(entry.Record.IdempotentKey);
            return ValueTask.CompletedTask;
        }, (entry, _) => ValueTask.FromResult(applied.Contains(entry.Record.IdempotentKey)));

        await using (var store = await FileWalStore.OpenAsync(WalTestKit.Options(_dir.Path)))
        await using (var buffer = await WriteBuffer.OpenAsync(system, store, target))
        {
            for (var i = 1; i <= 8; i++) await buffer.EnqueueAsync($"k{i}", "order", $"o{i}", Encoding.UTF8.GetBytes($"{{\"i\":{i}}}"));
            await Assert.ThrowsAsync<WriteBufferReplayException>(() => buffer.ReplayAsync());
        }

        failOn = "none";
        await using (var store = await FileWalStore.OpenAsync(WalTestKit.Options(_dir.Path)))
        await using (var buffer = await WriteBuffer.OpenAsync(system, store, target))
        {
            Assert.Equal(5, buffer.Count);
            var result = await buffer.ReplayAsync();
            Assert.Equal(5, result.Replayed);
        }
        Assert.Equal(Enumerable.Range(1, 8).Select(i => $"k{i}"), applied);
    }
}
