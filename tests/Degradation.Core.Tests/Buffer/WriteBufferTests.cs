using Microsoft.Extensions.Time.Testing;
using Degradation.Testing;

namespace Degradation.Tests.Buffer;

public sealed class WriteBufferTests : IAsyncLifetime
{
    private readonly FakeTimeProvider _time = new(FakeTimeProviderExtensions.TestStart);
    private readonly List<DegradationSystem> _systems = [];

    private static DegradationOptions Options(int maxEntries = 1000, long maxBytes = 10_000_000, double maxSeconds = 60) => new()
    {
        Buffer = { MaxEntries = maxEntries, MaxBytes = maxBytes, MaxAge = TimeSpan.FromSeconds(maxSeconds) },
    };

    private async Task<(DegradationSystem System, WriteBuffer Buffer, IWalStore Store, RecordingTarget Target)> CreateAsync(
        DegradationOptions? options = null, IWalStore? store = null, RecordingTarget? target = null)
    {
        options ??= Options();
        var system = BufferKit.NormalSystem(_time, options);
        _systems.Add(system);
        store ??= new InMemoryWalStore();
        target ??= new RecordingTarget();
        var buffer = await WriteBuffer.OpenAsync(system, store, target);
        return (system, buffer, store, target);
    }

    public Task InitializeAsync() => Task.CompletedTask;

    /// <summary>
    /// xunit calls this after each test (it never calls <see cref="IAsyncDisposable"/> on a test class): the systems
    /// <see cref="CreateAsync"/> made go with the test.
    /// </summary>
    public async Task DisposeAsync()
    {
        foreach (var system in _systems) await system.DisposeAsync();
    }

    private static List<SystemEvent> Capture(DegradationSystem system)
    {
        var events = new List<SystemEvent>();
        system.Bus.Subscribe(e => { if (e.Type != EventType.Heartbeat) events.Add(e); });
        return events;
    }

    [Fact]
    public async Task Enqueue_completes_only_once_the_store_has_made_the_entry_durable()
    {
        var store = new ControlledStore(new InMemoryWalStore()) { AppendGate = new TaskCompletionSource() };
        var (_, buffer, _, _) = await CreateAsync(store: store);

        var pending = buffer.EnqueueAsync("k1", "order", "o-1", BufferKit.Bytes(10)).AsTask();
        await Task.Yield();
        Assert.False(pending.IsCompleted);
        Assert.Equal(1, buffer.Count); // counted against the bounds while in flight

        store.AppendGate.SetResult();
        var result = await pending;
        Assert.Equal(EnqueueOutcome.Buffered, result.Outcome);
        Assert.Single(await BufferKit.ReadAll(store));
    }

    [Fact]
    public async Task First_buffered_write_reports_db_write_fail_buffered_and_the_system_degrades()
    {
        var (system, buffer, _, _) = await CreateAsync();
        var events = Capture(system);

        await buffer.EnqueueAsync("k1", "order", "o-1", BufferKit.Bytes(10));
        await buffer.EnqueueAsync("k2", "order", "o-2", BufferKit.Bytes(10));
        system.Bus.ProcessPending();

        var reported = Assert.Single(events);
        Assert.Equal(EventType.FailSupport, reported.Type);
        Assert.Equal(ComponentId.Db, reported.Component);
        Assert.Equal(ReasonCode.DbWriteFailBuffered, reported.Reason);
        Assert.Equal(SystemMode.Degraded, system.Gate.Mode);
    }

    [Fact]
    public async Task Entries_bound_rejects_the_next_write_with_a_typed_error_and_reports_overflow_to_SafeMode()
    {
        var (system, buffer, store, _) = await CreateAsync(Options(maxEntries: 3));
        var events = Capture(system);
        for (var i = 0; i < 3; i++) await buffer.EnqueueAsync($"k{i}", "order", "o", BufferKit.Bytes(1));

        var ex = await Assert.ThrowsAsync<WriteBufferOverflowException>(async () => await buffer.EnqueueAsync("k3", "order", "o", BufferKit.Bytes(1)));
        Assert.Equal(WriteBufferBound.Entries, ex.Bound);
        Assert.Equal("MaxEntries", ex.BoundOption);
        Assert.Equal(3, ex.Limit);
        Assert.Equal(4, ex.Actual);
        Assert.Equal("k3", ex.IdempotentKey);
        Assert.Contains("MaxEntries", ex.Message);
        Assert.Contains("k3", ex.Message);

        system.Bus.ProcessPending();
        var overflow = Assert.Single(events, e => e.Reason == ReasonCode.DbBufferOverflow);
        Assert.Equal(EventType.FailCritical, overflow.Type);
        Assert.Equal(ComponentId.WriteBuffer, overflow.Component);
        Assert.Equal(SystemMode.SafeMode, system.Gate.Mode);
        Assert.True(buffer.IsOverflowing);
        // Nothing acknowledged was dropped, and the rejected write was not appended.
        Assert.Equal(["k0", "k1", "k2"], (await BufferKit.ReadAll(store)).Select(e => e.Record.IdempotentKey));
    }

    [Fact]
    public async Task Bytes_bound_counts_payload_bytes_and_rejects_a_write_that_would_exceed_it()
    {
        var (system, buffer, store, _) = await CreateAsync(Options(maxBytes: 100));
        await buffer.EnqueueAsync("a", "order", "o", BufferKit.Bytes(60));
        await buffer.EnqueueAsync("b", "order", "o", BufferKit.Bytes(40)); // exactly at the bound is allowed

        var ex = await Assert.ThrowsAsync<WriteBufferOverflowException>(async () => await buffer.EnqueueAsync("c", "order", "o", BufferKit.Bytes(1)));
        Assert.Equal(WriteBufferBound.Bytes, ex.Bound);
        Assert.Equal("MaxBytes", ex.BoundOption);
        Assert.Equal(100, ex.Limit);
        Assert.Equal(101, ex.Actual);
        system.Bus.ProcessPending();
        Assert.Equal(SystemMode.SafeMode, system.Gate.Mode);
        Assert.Equal(2, (await BufferKit.ReadAll(store)).Count);
        Assert.Equal(100, buffer.Bytes);
    }

    [Fact]
    public async Task Age_bound_reports_overflow_when_the_oldest_entry_reaches_it_even_without_new_writes()
    {
        var (system, buffer, _, _) = await CreateAsync(Options(maxSeconds: 60));
        await buffer.EnqueueAsync("old", "order", "o", BufferKit.Bytes(1));
        _time.Advance(TimeSpan.FromSeconds(59));
        await buffer.EnqueueAsync("newer", "order", "o", BufferKit.Bytes(1));
        system.Bus.ProcessPending();
        Assert.Equal(SystemMode.Degraded, system.Gate.Mode);
        Assert.False(buffer.IsOverflowing);

        _time.Advance(TimeSpan.FromSeconds(1)); // the timer fires: no enqueue needed
        system.Bus.ProcessPending();
        Assert.True(buffer.IsOverflowing);
        Assert.Equal(SystemMode.SafeMode, system.Gate.Mode);

        var ex = await Assert.ThrowsAsync<WriteBufferOverflowException>(async () => await buffer.EnqueueAsync("late", "order", "o", BufferKit.Bytes(1)));
        Assert.Equal(WriteBufferBound.Age, ex.Bound);
        Assert.Equal("MaxAge", ex.BoundOption);
        Assert.Equal(60, ex.Limit);
    }

    [Fact]
    public async Task Overflow_is_cleared_once_replay_brings_the_buffer_below_its_bounds_and_db_recovers_when_drained()
    {
        var (system, buffer, _, target) = await CreateAsync(Options(maxEntries: 2));
        var events = Capture(system);
        await buffer.EnqueueAsync("a", "order", "o", BufferKit.Bytes(1));
        await buffer.EnqueueAsync("b", "order", "o", BufferKit.Bytes(1));
        await Assert.ThrowsAsync<WriteBufferOverflowException>(async () => await buffer.EnqueueAsync("c", "order", "o", BufferKit.Bytes(1)));
        system.Bus.ProcessPending();
        Assert.Equal(SystemMode.SafeMode, system.Gate.Mode);
        Assert.NotEmpty(system.StateMachine.GetComponent(ComponentId.WriteBuffer)!.Conditions);

        var result = await buffer.ReplayAsync();
        system.Bus.ProcessPending();

        Assert.Equal(new ReplayResult(2, 0, 0, 0), result);
        Assert.Equal(["a", "b"], target.Writes);
        Assert.False(buffer.IsOverflowing);
        var afterReplay = events.SkipWhile(e => e.Reason != ReasonCode.DbBufferOverflow).Skip(1).ToList();
        Assert.Equal([(EventType.Recovered, ComponentId.WriteBuffer), (EventType.Recovered, ComponentId.Db)],
            afterReplay.Select(e => (e.Type, e.Component)));
        Assert.Empty(system.StateMachine.GetComponent(ComponentId.WriteBuffer)!.Conditions);
        Assert.Empty(system.StateMachine.GetComponent(ComponentId.Db)!.Conditions);
        Assert.Equal(SystemMode.Normal, system.StateMachine.DerivedMode);

        // Accepting writes again, and the next one reports the database failure anew.
        await buffer.EnqueueAsync("c", "order", "o", BufferKit.Bytes(1));
        system.Bus.ProcessPending();
        Assert.Equal(2, events.Count(e => e.Reason == ReasonCode.DbWriteFailBuffered));
    }

    [Fact]
    public async Task Replay_hands_entries_to_the_target_in_original_order_and_marks_them_replayed()
    {
        var (_, buffer, store, target) = await CreateAsync();
        var keys = Enumerable.Range(0, 50).Select(i => $"k{i:D2}").ToList();
        foreach (var key in keys) await buffer.EnqueueAsync(key, "order", "o", BufferKit.Bytes(3));

        var result = await buffer.ReplayAsync();

        Assert.Equal(50, result.Replayed);
        Assert.Equal(keys, target.Writes);
        Assert.Empty(await BufferKit.ReadAll(store));
        Assert.Equal(0, (await store.GetStatsAsync()).Entries);
        Assert.Equal(0, buffer.Count);
    }

    [Fact]
    public async Task Concurrent_writers_are_replayed_in_sequence_order_each_writer_in_its_own_order()
    {
        var (_, buffer, _, target) = await CreateAsync();
        await Task.WhenAll(Enumerable.Range(0, 4).Select(w => Task.Run(async () =>
        {
            for (var i = 0; i < 25; i++) await buffer.EnqueueAsync($"w{w}-{i:D2}", "order", "o", BufferKit.Bytes(1));
        })));
        await buffer.ReplayAsync();
        Assert.Equal(100, target.Writes.Count);
        for (var w = 0; w < 4; w++)
            Assert.Equal(Enumerable.Range(0, 25).Select(i => $"w{w}-{i:D2}"), target.Writes.Where(k => k.StartsWith($"w{w}-", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task Same_idempotent_key_is_buffered_once_and_not_buffered_again_after_replay()
    {
        var (_, buffer, store, target) = await CreateAsync();
        var first = await buffer.EnqueueAsync("dup", "order", "o", BufferKit.Bytes(1));
        var second = await buffer.EnqueueAsync("dup", "order", "o", BufferKit.Bytes(1));
        Assert.Equal(EnqueueOutcome.Buffered, first.Outcome);
        Assert.Equal(new EnqueueResult(first.Sequence, EnqueueOutcome.AlreadyBuffered), second);
        Assert.Single(await BufferKit.ReadAll(store));

        await buffer.ReplayAsync();
        var third = await buffer.EnqueueAsync("dup", "order", "o", BufferKit.Bytes(1));
        Assert.Equal(EnqueueOutcome.AlreadyReplayed, third.Outcome);
        Assert.Equal(["dup"], target.Writes);
        Assert.Empty(await BufferKit.ReadAll(store));
    }

    [Fact]
    public async Task Concurrent_enqueues_of_one_key_append_once()
    {
        var store = new ControlledStore(new InMemoryWalStore()) { AppendGate = new TaskCompletionSource() };
        var (_, buffer, _, _) = await CreateAsync(store: store);
        var a = buffer.EnqueueAsync("same", "order", "o", BufferKit.Bytes(1)).AsTask();
        var b = buffer.EnqueueAsync("same", "order", "o", BufferKit.Bytes(1)).AsTask();
        store.AppendGate.SetResult();
        var results = await Task.WhenAll(a, b);
        Assert.Equal(1, store.Appends);
        Assert.Equal(results[0].Sequence, results[1].Sequence);
        Assert.Contains(results, r => r.Outcome == EnqueueOutcome.AlreadyBuffered);
    }

    [Fact]
    public async Task Replay_delivers_a_key_found_twice_in_the_store_once_and_counts_the_duplicate()
    {
        var store = new InMemoryWalStore();
        await store.AppendAsync([BufferKit.Record("x", [1]), BufferKit.Record("y", [2]), BufferKit.Record("x", [3])]);
        var (_, buffer, _, target) = await CreateAsync(store: store);

        var result = await buffer.ReplayAsync();

        Assert.Equal(["x", "y"], target.Writes);
        Assert.Equal(2, result.Replayed);
        Assert.Equal(1, result.DuplicatesSkipped);
        Assert.Empty(await BufferKit.ReadAll(store));
    }

    [Fact]
    public async Task Target_failing_mid_replay_leaves_the_rest_buffered_and_a_new_buffer_resumes_without_duplicates()
    {
        var store = new InMemoryWalStore();
        var target = new RecordingTarget();
        target.FailOnKeys.Add("k3");
        var (system, buffer, _, _) = await CreateAsync(store: store, target: target);
        for (var i = 0; i < 6; i++) await buffer.EnqueueAsync($"k{i}", "order", "o", BufferKit.Bytes(1));

        var ex = await Assert.ThrowsAsync<WriteBufferReplayException>(() => buffer.ReplayAsync());
        Assert.Equal("k3", ex.IdempotentKey);
        Assert.Equal(4, ex.Sequence);
        Assert.Equal(3, ex.Progress.Replayed);
        Assert.IsType<InvalidOperationException>(ex.InnerException);
        Assert.Equal(3, buffer.Count);
        await buffer.DisposeAsync(); // the process "crashes" here

        target.FailOnKeys.Clear();
        await using var resumed = await WriteBuffer.OpenAsync(system, store, target);
        Assert.Equal(3, resumed.Count);
        var result = await resumed.ReplayAsync();

        Assert.Equal(3, result.Replayed);
        Assert.Equal(["k0", "k1", "k2", "k3", "k4", "k5"], target.Writes);
        Assert.All(target.Applied.Values, n => Assert.Equal(1, n));
    }

    [Fact]
    public async Task Crash_after_the_target_committed_but_before_the_mark_is_resolved_by_asking_the_target()
    {
        var inner = new InMemoryWalStore();
        var store = new ControlledStore(inner);
        var target = new RecordingTarget(answersIsApplied: true);
        var (system, buffer, _, _) = await CreateAsync(store: store, target: target);
        for (var i = 0; i < 5; i++) await buffer.EnqueueAsync($"k{i}", "order", "o", BufferKit.Bytes(1));
        store.FailMarkAt = 3; // k2 is committed by the target, then the "crash" hits before its mark is durable

        await Assert.ThrowsAsync<IOException>(() => buffer.ReplayAsync());
        Assert.Equal(["k0", "k1", "k2"], target.Writes);
        await buffer.DisposeAsync();

        store.FailMarkAt = null;
        target.IsAppliedAsked.Clear();
        await using var resumed = await WriteBuffer.OpenAsync(system, store, target);
        var result = await resumed.ReplayAsync();

        Assert.Equal(new ReplayResult(2, 0, 1, 0), result);
        Assert.Equal(["k2"], target.IsAppliedAsked); // only the one entry whose fate was unknown
        Assert.Equal(["k0", "k1", "k2", "k3", "k4"], target.Writes);
        Assert.All(target.Applied.Values, n => Assert.Equal(1, n));
    }

    [Fact]
    public async Task Without_an_applied_lookup_the_crash_window_redelivers_exactly_the_one_in_flight_entry()
    {
        var store = new ControlledStore(new InMemoryWalStore());
        var target = new RecordingTarget(answersIsApplied: false);
        var (system, buffer, _, _) = await CreateAsync(store: store, target: target);
        for (var i = 0; i < 5; i++) await buffer.EnqueueAsync($"k{i}", "order", "o", BufferKit.Bytes(1));
        store.FailMarkAt = 3;
        await Assert.ThrowsAsync<IOException>(() => buffer.ReplayAsync());
        await buffer.DisposeAsync();

        store.FailMarkAt = null;
        await using var resumed = await WriteBuffer.OpenAsync(system, store, target);
        await resumed.ReplayAsync();

        Assert.Equal(["k0", "k1", "k2", "k2", "k3", "k4"], target.Writes);
        Assert.Equal(2, target.Applied["k2"]);
        Assert.Equal(4, target.Applied.Count(kv => kv.Value == 1));
    }

    [Fact]
    public async Task Entries_left_in_the_store_by_a_previous_run_count_toward_the_bounds_and_report_at_once()
    {
        var store = new InMemoryWalStore();
        await store.AppendAsync([BufferKit.Record("p1", [1, 2]), BufferKit.Record("p2", [3])]);
        var (system, buffer, _, target) = await CreateAsync(Options(maxEntries: 3), store: store);
        system.Bus.ProcessPending();
        Assert.Equal(SystemMode.Degraded, system.Gate.Mode);
        Assert.Equal(2, buffer.Count);
        Assert.Equal(3, buffer.Bytes);

        var again = await buffer.EnqueueAsync("p1", "order", "o", BufferKit.Bytes(1));
        Assert.Equal(EnqueueOutcome.AlreadyBuffered, again.Outcome);
        await buffer.EnqueueAsync("p3", "order", "o", BufferKit.Bytes(1));
        await Assert.ThrowsAsync<WriteBufferOverflowException>(async () => await buffer.EnqueueAsync("p4", "order", "o", BufferKit.Bytes(1)));

        await buffer.ReplayAsync();
        Assert.Equal(["p1", "p2", "p3"], target.Writes);
    }

    [Fact]
    public async Task Old_entries_left_by_a_previous_run_trip_the_age_bound_on_open()
    {
        var store = new InMemoryWalStore();
        var old = BufferKit.Record("old", [1]) with { CreatedAt = _time.GetUtcNow() - TimeSpan.FromMinutes(5) };
        await store.AppendAsync([old]);
        var (system, buffer, _, _) = await CreateAsync(Options(maxSeconds: 60), store: store);
        system.Bus.ProcessPending();
        Assert.True(buffer.IsOverflowing);
        Assert.Equal(SystemMode.SafeMode, system.Gate.Mode);
    }

    [Fact]
    public async Task A_failed_append_is_not_counted_and_reports_nothing()
    {
        var store = new ControlledStore(new InMemoryWalStore()) { AppendFailure = new IOException("disk full") };
        var (system, buffer, _, _) = await CreateAsync(store: store);
        var events = Capture(system);

        await Assert.ThrowsAsync<IOException>(async () => await buffer.EnqueueAsync("k", "order", "o", BufferKit.Bytes(5)));
        system.Bus.ProcessPending();

        Assert.Equal(0, buffer.Count);
        Assert.Equal(0, buffer.Bytes);
        Assert.Empty(events);
        store.AppendFailure = null;
        Assert.Equal(EnqueueOutcome.Buffered, (await buffer.EnqueueAsync("k", "order", "o", BufferKit.Bytes(5))).Outcome);
    }

    [Fact]
    public async Task Cancelled_enqueue_appends_nothing()
    {
        var (_, buffer, store, _) = await CreateAsync();
        using var cts = new CancellationTokenSource();
        cts.Cancel();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () => await buffer.EnqueueAsync("k", "order", "o", BufferKit.Bytes(1), cancellationToken: cts.Token));
        Assert.Empty(await BufferKit.ReadAll(store));
        Assert.Equal(0, buffer.Count);
    }

    [Theory]
    [InlineData(null, "order", "o")]
    [InlineData("k", " ", "o")]
    [InlineData("k", "order", "")]
    public async Task Enqueue_rejects_missing_key_type_or_id(string? key, string type, string id)
    {
        var (_, buffer, _, _) = await CreateAsync();
        await Assert.ThrowsAnyAsync<ArgumentException>(async () => await buffer.EnqueueAsync(key!, type, id, BufferKit.Bytes(1)));
    }

    [Fact]
    public async Task Invalid_bounds_are_rejected_naming_the_option()
    {
        await using var system = DegradationSystem.Create(null, _time);
        var ex = await Assert.ThrowsAsync<DegradationOptionsException>(async () =>
            await WriteBuffer.OpenAsync(new InMemoryWalStore(), new RecordingTarget(), system.Bus, new DegradationOptions { Buffer = { MaxEntries = 0 } }, _time));
        Assert.Contains("MaxEntries", ex.Message);
    }

    [Fact]
    public async Task Disposed_buffer_refuses_writes_and_replay()
    {
        var (_, buffer, _, _) = await CreateAsync();
        await buffer.DisposeAsync();
        await Assert.ThrowsAsync<ObjectDisposedException>(async () => await buffer.EnqueueAsync("k", "order", "o", BufferKit.Bytes(1)));
        await Assert.ThrowsAsync<ObjectDisposedException>(() => buffer.ReplayAsync());
    }

    [Fact]
    public async Task Replay_also_delivers_entries_written_while_it_runs()
    {
        var store = new InMemoryWalStore();
        WriteBuffer? buffer = null;
        var target = BufferedWriteTarget.Create(async (entry, ct) =>
        {
            if (entry.Record.IdempotentKey == "a") await buffer!.EnqueueAsync("late", "order", "o", BufferKit.Bytes(1), cancellationToken: ct);
        });
        await using var system = BufferKit.NormalSystem(_time, Options());
        buffer = await WriteBuffer.OpenAsync(system, store, target);
        await buffer.EnqueueAsync("a", "order", "o", BufferKit.Bytes(1));

        var result = await buffer.ReplayAsync();

        Assert.Equal(2, result.Replayed);
        Assert.Equal(0, result.Remaining);
        Assert.Equal(0, buffer.Count);
        await buffer.DisposeAsync();
    }
}
