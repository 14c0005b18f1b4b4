using System.Text;
using Degradation.Storage.Postgres;
using Npgsql;

namespace Degradation.Tests.Postgres;

/// <summary>What the PostgreSQL WAL adds to the shared contract: the db_buffer_wal table, jsonb copies, idempotent keys, streams, commit order.</summary>
[Collection(PostgresCollection.Name)]
public sealed class PostgresWalStoreTests(PostgresServer server) : IAsyncLifetime
{
    private readonly string _schema = PostgresServer.NewSchema();
    private NpgsqlDataSource _dataSource = null!;

    public async Task InitializeAsync()
    {
        _dataSource = server.CreateDataSource();
        await PostgresSchema.MigrateAsync(_dataSource, _schema);
    }

    public async Task DisposeAsync() => await _dataSource.DisposeAsync();

    private PostgresWalStore Store(string stream = "default") => new(_dataSource, new PostgresWalStoreOptions { Schema = _schema, Stream = stream });

    private static WalRecord Record(string key, string payload, string? old = null) => new()
    {
        IdempotentKey = key, ResourceType = "order", ResourceId = "o-" + key,
        Payload = Encoding.UTF8.GetBytes(payload), OldState = old is null ? null : Encoding.UTF8.GetBytes(old),
        CreatedAt = new DateTimeOffset(2026, 1, 26, 9, 30, 0, TimeSpan.FromHours(2)),
    };

    private async Task<T> Scalar<T>(string sql)
    {
        await using var command = _dataSource.CreateCommand(sql);
        return (T)(await command.ExecuteScalarAsync())!;
    }

    [Fact]
    public async Task Json_payloads_are_queryable_as_jsonb_and_read_back_byte_for_byte()
    {
        await using var store = Store();
        const string payload = "{\"qty\": 5,   \"px\":\"101.25\"}"; // jsonb would normalise this text
        await store.AppendAsync([Record("k1", payload, "{\"qty\":0}")]);
        Assert.Equal(5, await Scalar<int>($"SELECT (new_state->>'qty')::int FROM {_schema}.db_buffer_wal WHERE idempotent_key = 'k1'"));
        Assert.Equal(0, await Scalar<int>($"SELECT (old_state->>'qty')::int FROM {_schema}.db_buffer_wal WHERE idempotent_key = 'k1'"));
        var entry = Assert.Single(await ReadAll(store));
        Assert.Equal(payload, Encoding.UTF8.GetString(entry.Record.Payload.Span));
        Assert.Equal(new DateTimeOffset(2026, 1, 26, 7, 30, 0, TimeSpan.Zero), entry.Record.CreatedAt);
    }

    [Fact]
    public async Task Payloads_that_are_not_json_are_wrapped_as_base64_in_jsonb_and_kept_exactly()
    {
        await using var store = Store();
        var binary = new byte[] { 0xff, 0x00, 0x7b, 0x80 };
        await store.AppendAsync([Record("bin", "x") with { Payload = binary }, Record("text", "not json {")]);
        Assert.Equal(Convert.ToBase64String(binary), await Scalar<string>($"SELECT new_state->>'$base64' FROM {_schema}.db_buffer_wal WHERE idempotent_key = 'bin'"));
        Assert.Equal("not json {", Encoding.UTF8.GetString(Convert.FromBase64String(
            await Scalar<string>($"SELECT new_state->>'$base64' FROM {_schema}.db_buffer_wal WHERE idempotent_key = 'text'"))));
        var entries = await ReadAll(store);
        Assert.Equal(binary, entries[0].Record.Payload.ToArray());
        Assert.Equal("not json {", Encoding.UTF8.GetString(entries[1].Record.Payload.Span));
    }

    [Fact]
    public async Task A_key_already_in_the_stream_is_stored_once_and_returns_the_first_sequence()
    {
        await using var store = Store();
        var first = await store.AppendAsync([Record("dup", "{\"v\":1}")]);
        var again = await store.AppendAsync([Record("other", "{}"), Record("dup", "{\"v\":2}"), Record("other", "{}")]);
        Assert.Equal(first[0], again[1]);
        Assert.Equal(again[0], again[2]);
        var entries = await ReadAll(store);
        Assert.Equal(["dup", "other"], entries.Select(e => e.Record.IdempotentKey));
        Assert.Equal("{\"v\":1}", Encoding.UTF8.GetString(entries[0].Record.Payload.Span)); // the first write wins
    }

    [Fact]
    public async Task Streams_share_the_table_but_not_their_entries_keys_or_replay_marks()
    {
        await using var a = Store("process-a");
        await using var b = Store("process-b");
        var seqA = await a.AppendAsync([Record("same-key", "{\"from\":\"a\"}")]);
        await b.AppendAsync([Record("same-key", "{\"from\":\"b\"}")]);
        await a.MarkReplayedAsync(seqA[0]);
        Assert.Empty(await ReadAll(a));
        var onlyB = Assert.Single(await ReadAll(b));
        Assert.Equal("{\"from\":\"b\"}", Encoding.UTF8.GetString(onlyB.Record.Payload.Span));
        Assert.Equal(1, (await b.GetStatsAsync()).Entries);
        Assert.NotNull(await Scalar<DateTime?>($"SELECT replayed_at FROM {_schema}.db_buffer_wal WHERE stream = 'process-a'"));
    }

    [Fact]
    public async Task Sequences_follow_commit_order_so_marking_what_was_read_never_marks_an_unread_entry()
    {
        // Two store instances (as two processes would) append to one stream while a replayer reads and marks.
        await using var writer1 = Store("shared");
        await using var writer2 = Store("shared");
        await using var replayer = Store("shared");
        var replayed = new List<string>();
        var writers = new[] { writer1, writer2 }.Select((w, n) => Task.Run(async () =>
        {
            for (var i = 0; i < 100; i++) await w.AppendAsync([Record($"w{n}-{i}", "{}")]);
        })).ToArray();
        var last = 0L;
        while (!writers.All(t => t.IsCompleted) || (await replayer.GetStatsAsync()).Entries > 0)
        {
            foreach (var entry in await ReadAll(replayer, last))
            {
                replayed.Add(entry.Record.IdempotentKey);
                last = entry.Sequence;
            }
            await replayer.MarkReplayedAsync(last);
        }
        await Task.WhenAll(writers);
        Assert.Equal(200, replayed.Count);
        Assert.Equal(200, replayed.Distinct().Count());
        Assert.Equal(0, await Scalar<long>($"SELECT count(*) FROM {_schema}.db_buffer_wal WHERE stream = 'shared' AND replayed_at IS NULL"));
    }

    [Fact]
    public async Task Reads_page_through_long_logs_in_order()
    {
        await using var store = new PostgresWalStore(_dataSource, new PostgresWalStoreOptions { Schema = _schema, Stream = "paged", ReadPageSize = 7 });
        await store.AppendAsync([.. Enumerable.Range(0, 30).Select(i => Record($"p{i:00}", "{}"))]);
        var keys = (await ReadAll(store)).Select(e => e.Record.IdempotentKey).ToList();
        Assert.Equal(Enumerable.Range(0, 30).Select(i => $"p{i:00}"), keys);
    }

    [Fact]
    public void Bad_options_are_rejected_with_the_option_name()
    {
        var schema = Assert.Throws<ArgumentException>(() => new PostgresWalStore(_dataSource, new PostgresWalStoreOptions { Schema = "Bad-Schema" }));
        Assert.Contains("Schema", schema.Message);
        Assert.Contains("Bad-Schema", schema.Message);
        var stream = Assert.Throws<ArgumentException>(() => new PostgresWalStore(_dataSource, new PostgresWalStoreOptions { Stream = " " }));
        Assert.Contains("Stream", stream.Message);
        var page = Assert.Throws<ArgumentOutOfRangeException>(() => new PostgresWalStore(_dataSource, new PostgresWalStoreOptions { ReadPageSize = 0 }));
        Assert.Contains("ReadPageSize", page.Message);
    }

    private static async Task<List<WalEntry>> ReadAll(IWalStore store, long after = 0)
    {
        var list = new List<WalEntry>();
        await foreach (var entry in store.ReadAsync(after)) list.Add(entry);
        return list;
    }
}
