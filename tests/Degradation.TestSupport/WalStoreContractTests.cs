using System.Text;
using Xunit;

namespace Degradation.Testing;

/// <summary>
/// The behaviour every <see cref="IWalStore"/> must have. Each store's test project derives from this class,
/// so the in-memory, file and PostgreSQL stores run the very same tests.
/// </summary>
public abstract class WalStoreContractTests : IAsyncLifetime
{
    private readonly List<IWalStore> _opened = [];

    /// <summary>Opens a store over a fresh, empty location.</summary>
    protected abstract Task<IWalStore> CreateEmptyStoreAsync();

    /// <summary>Closes <paramref name="store"/> and opens it again over the same location (durability). Return null if the store keeps nothing across instances.</summary>
    protected abstract Task<IWalStore?> ReopenAsync(IWalStore store);

    protected async Task<IWalStore> OpenAsync()
    {
        var store = await CreateEmptyStoreAsync();
        _opened.Add(store);
        return store;
    }

    protected static WalRecord Record(string key, string payload = "{\"v\":1}", string type = "order", string id = "o-1") => new()
    {
        IdempotentKey = key,
        ResourceType = type,
        ResourceId = id,
        Payload = Encoding.UTF8.GetBytes(payload),
        CreatedAt = new DateTimeOffset(2026, 1, 26, 9, 30, 0, TimeSpan.Zero),
    };

    protected static async Task<List<WalEntry>> ReadAll(IWalStore store, long after = 0)
    {
        var list = new List<WalEntry>();
        await foreach (var entry in store.ReadAsync(after)) list.Add(entry);
        return list;
    }

    [Fact]
    public async Task Append_assigns_strictly_increasing_sequences_in_order()
    {
        var store = await OpenAsync();
        var first = await store.AppendAsync([Record("a"), Record("b")]);
        var second = await store.AppendAsync([Record("c")]);
        Assert.Equal(2, first.Count);
        Assert.Single(second);
        Assert.True(first[0] < first[1] && first[1] < second[0]);
        var all = await ReadAll(store);
        Assert.Equal(["a", "b", "c"], all.Select(e => e.Record.IdempotentKey));
        Assert.Equal(first.Concat(second), all.Select(e => e.Sequence));
    }

    [Fact]
    public async Task Read_returns_every_field_unchanged()
    {
        var store = await OpenAsync();
        var record = Record("k-1", "{\"qty\":5,\"px\":\"101.25\"}", "fill", "f-77") with { OldState = Encoding.UTF8.GetBytes("{\"qty\":0}") };
        await store.AppendAsync([record]);
        var entry = Assert.Single(await ReadAll(store));
        Assert.Equal("k-1", entry.Record.IdempotentKey);
        Assert.Equal("fill", entry.Record.ResourceType);
        Assert.Equal("f-77", entry.Record.ResourceId);
        Assert.Equal(record.Payload.ToArray(), entry.Record.Payload.ToArray());
        Assert.Equal(record.OldState!.Value.ToArray(), entry.Record.OldState!.Value.ToArray());
        Assert.Equal(record.CreatedAt, entry.Record.CreatedAt);
    }

    [Fact]
    public async Task Missing_old_state_reads_back_as_missing_not_empty()
    {
        var store = await OpenAsync();
        await store.AppendAsync([Record("no-old") with { OldState = null }, Record("empty-old") with { OldState = ReadOnlyMemory<byte>.Empty }]);
        var entries = await ReadAll(store);
        Assert.Null(entries[0].Record.OldState);
        Assert.NotNull(entries[1].Record.OldState);
        Assert.Equal(0, entries[1].Record.OldState!.Value.Length);
    }

    [Fact]
    public async Task Read_after_a_sequence_skips_earlier_entries()
    {
        var store = await OpenAsync();
        var seqs = await store.AppendAsync([Record("a"), Record("b"), Record("c")]);
        var tail = await ReadAll(store, seqs[0]);
        Assert.Equal(["b", "c"], tail.Select(e => e.Record.IdempotentKey));
    }

    [Fact]
    public async Task MarkReplayed_hides_replayed_entries_and_updates_stats()
    {
        var store = await OpenAsync();
        var seqs = await store.AppendAsync([Record("a", "12345"), Record("b", "123"), Record("c", "1")]);
        var before = await store.GetStatsAsync();
        Assert.Equal(3, before.Entries);
        Assert.Equal(9, before.Bytes);
        Assert.NotNull(before.OldestCreatedAt);
        await store.MarkReplayedAsync(seqs[1]);
        Assert.Equal(["c"], (await ReadAll(store)).Select(e => e.Record.IdempotentKey));
        var after = await store.GetStatsAsync();
        Assert.Equal(1, after.Entries);
        Assert.Equal(1, after.Bytes);
        Assert.Equal(seqs[2], after.LastSequence);
    }

    [Fact]
    public async Task Empty_store_reports_zero()
    {
        var store = await OpenAsync();
        var stats = await store.GetStatsAsync();
        Assert.Equal(0, stats.Entries);
        Assert.Equal(0, stats.Bytes);
        Assert.Null(stats.OldestCreatedAt);
        Assert.Empty(await ReadAll(store));
    }

    [Fact]
    public async Task Appending_an_empty_batch_changes_nothing()
    {
        var store = await OpenAsync();
        var seqs = await store.AppendAsync([]);
        Assert.Empty(seqs);
        Assert.Equal(0, (await store.GetStatsAsync()).Entries);
    }

    [Fact]
    public async Task Concurrent_appenders_lose_nothing_and_get_unique_sequences()
    {
        var store = await OpenAsync();
        const int writers = 8, perWriter = 50;
        var tasks = Enumerable.Range(0, writers).Select(w => Task.Run(async () =>
        {
            var mine = new List<long>();
            for (var i = 0; i < perWriter; i++) mine.AddRange(await store.AppendAsync([Record($"w{w}-{i}")]));
            return mine;
        })).ToArray();
        var all = (await Task.WhenAll(tasks)).SelectMany(x => x).ToList();
        Assert.Equal(writers * perWriter, all.Distinct().Count());
        var read = await ReadAll(store);
        Assert.Equal(writers * perWriter, read.Count);
        Assert.Equal(read.Select(e => e.Sequence).OrderBy(s => s), read.Select(e => e.Sequence));
        for (var w = 0; w < writers; w++)
        {
            var order = read.Where(e => e.Record.IdempotentKey.StartsWith($"w{w}-", StringComparison.Ordinal)).Select(e => int.Parse(e.Record.IdempotentKey.Split('-')[1], System.Globalization.CultureInfo.InvariantCulture)).ToList();
            Assert.Equal(Enumerable.Range(0, perWriter), order);
        }
    }

    [Fact]
    public async Task Acknowledged_entries_and_replay_marks_survive_reopen()
    {
        var store = await OpenAsync();
        var seqs = await store.AppendAsync([Record("a"), Record("b"), Record("c")]);
        await store.MarkReplayedAsync(seqs[0]);
        var reopened = await ReopenAsync(store);
        if (reopened is null) return; // the store keeps nothing across instances (in-memory)
        _opened.Add(reopened);
        Assert.Equal(["b", "c"], (await ReadAll(reopened)).Select(e => e.Record.IdempotentKey));
        var more = await reopened.AppendAsync([Record("d")]);
        Assert.True(more[0] > seqs[2], "sequence numbers keep increasing after reopen");
    }

    [Fact]
    public async Task Cancelled_append_throws_OperationCanceledException()
    {
        var store = await OpenAsync();
        using var cts = new CancellationTokenSource();
        cts.Cancel();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () => await store.AppendAsync([Record("x")], cts.Token));
    }

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        foreach (var store in _opened)
        {
            try { await store.DisposeAsync(); } catch (ObjectDisposedException) { }
        }
    }
}
