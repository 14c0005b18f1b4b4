using Degradation.Testing;

namespace Degradation.Tests.Buffer;

public sealed class InMemoryWalStoreContractTests : WalStoreContractTests
{
    protected override Task<IWalStore> CreateEmptyStoreAsync() => Task.FromResult<IWalStore>(new InMemoryWalStore());

    protected override Task<IWalStore?> ReopenAsync(IWalStore store) => Task.FromResult<IWalStore?>(null);
}

public sealed class InMemoryWalStoreTests
{
    [Fact]
    public async Task Append_copies_the_payload_so_callers_may_reuse_their_buffer()
    {
        await using var store = new InMemoryWalStore();
        var payload = new byte[] { 1, 2, 3 };
        await store.AppendAsync([BufferKit.Record("k", payload)]);
        payload[0] = 9;
        await foreach (var entry in store.ReadAsync()) Assert.Equal(1, entry.Record.Payload.Span[0]);
    }

    [Fact]
    public async Task MarkReplayed_beyond_the_last_sequence_is_rejected_with_the_argument_named()
    {
        await using var store = new InMemoryWalStore();
        await store.AppendAsync([BufferKit.Record("k", [1])]);
        var ex = await Assert.ThrowsAsync<ArgumentOutOfRangeException>(async () => await store.MarkReplayedAsync(5));
        Assert.Equal("sequence", ex.ParamName);
    }

    [Fact]
    public async Task Disposed_store_refuses_work()
    {
        var store = new InMemoryWalStore();
        await store.DisposeAsync();
        await Assert.ThrowsAsync<ObjectDisposedException>(async () => await store.AppendAsync([BufferKit.Record("k", [1])]));
    }
}
