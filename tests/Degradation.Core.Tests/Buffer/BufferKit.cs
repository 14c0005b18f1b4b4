using Microsoft.Extensions.Time.Testing;
using System.Collections.Concurrent;
using Degradation.Testing;

namespace Degradation.Tests.Buffer;

/// <summary>Test doubles and helpers for the write buffer tests.</summary>
internal static class BufferKit
{
    public static WalRecord Record(string key, byte[] payload) => new()
    {
        IdempotentKey = key,
        ResourceType = "order",
        ResourceId = "o-" + key,
        Payload = payload,
        CreatedAt = new DateTimeOffset(2026, 1, 26, 9, 30, 0, TimeSpan.Zero),
    };

    public static byte[] Bytes(int count) => new byte[count];

    /// <summary>A system driven by hand (bus not started), brought to Normal.</summary>
    public static DegradationSystem NormalSystem(FakeTimeProvider time, DegradationOptions? options = null)
    {
        return NormalSystems.Create(time, options, heartbeatTtl: TimeSpan.FromHours(1));
    }

    public static async Task<List<WalEntry>> ReadAll(IWalStore store)
    {
        var list = new List<WalEntry>();
        await foreach (var e in store.ReadAsync()) list.Add(e);
        return list;
    }
}

/// <summary>A target that records what it applied; can fail on chosen keys, and answers IsApplied from what it holds.</summary>
internal sealed class RecordingTarget : IBufferedWriteTarget
{
    private readonly ConcurrentQueue<string> _writes = new();
    private readonly ConcurrentDictionary<string, int> _applied = new(StringComparer.Ordinal);

    public RecordingTarget(bool answersIsApplied = true) => AnswersIsApplied = answersIsApplied;

    public bool AnswersIsApplied { get; }
    public HashSet<string> FailOnKeys { get; } = new(StringComparer.Ordinal);
    public List<string> IsAppliedAsked { get; } = [];
    public List<string> Writes => [.. _writes];
    public IReadOnlyDictionary<string, int> Applied => _applied;

    /// <summary>Keys already applied before the buffer started (e.g. applied by the run that crashed).</summary>
    public void Preload(string key) => _applied[key] = 1;

    public ValueTask WriteAsync(WalEntry entry, CancellationToken cancellationToken)
    {
        var key = entry.Record.IdempotentKey;
        if (FailOnKeys.Contains(key)) throw new InvalidOperationException("database still down for " + key);
        _writes.Enqueue(key);
        _applied.AddOrUpdate(key, 1, (_, n) => n + 1);
        return ValueTask.CompletedTask;
    }

    public ValueTask<bool> IsAppliedAsync(WalEntry entry, CancellationToken cancellationToken)
    {
        lock (IsAppliedAsked) IsAppliedAsked.Add(entry.Record.IdempotentKey);
        return ValueTask.FromResult(AnswersIsApplied && _applied.ContainsKey(entry.Record.IdempotentKey));
    }
}

/// <summary>Wraps a store to hold appends until released, or to fail marking a chosen sequence (a crash after the target committed).</summary>
internal sealed class ControlledStore(IWalStore inner) : IWalStore
{
    public TaskCompletionSource? AppendGate { get; set; }
    public Exception? AppendFailure { get; set; }
    public long? FailMarkAt { get; set; }
    public int Appends;

    public async ValueTask<IReadOnlyList<long>> AppendAsync(IReadOnlyList<WalRecord> records, CancellationToken cancellationToken = default)
    {
        Interlocked.Increment(ref Appends);
        if (AppendGate is { } gate) await gate.Task;
        if (AppendFailure is { } failure) throw failure;
        return await inner.AppendAsync(records, cancellationToken);
    }

    public IAsyncEnumerable<WalEntry> ReadAsync(long afterSequence = 0, CancellationToken cancellationToken = default) => inner.ReadAsync(afterSequence, cancellationToken);

    public ValueTask MarkReplayedAsync(long sequence, CancellationToken cancellationToken = default)
    {
        if (FailMarkAt == sequence) throw new IOException("simulated crash before the replay mark was recorded");
        return inner.MarkReplayedAsync(sequence, cancellationToken);
    }

    public ValueTask<WalStats> GetStatsAsync(CancellationToken cancellationToken = default) => inner.GetStatsAsync(cancellationToken);

    public ValueTask DisposeAsync() => inner.DisposeAsync();
}
