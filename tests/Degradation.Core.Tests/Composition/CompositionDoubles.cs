using System.Collections.Concurrent;

namespace Degradation.Tests.Composition;

/// <summary>A shared, ordered record of what happened, for start/stop-order assertions.</summary>
internal sealed class Journal
{
    private readonly ConcurrentQueue<string> _lines = new();

    public void Add(string line) => _lines.Enqueue(line);

    public IReadOnlyList<string> Lines => [.. _lines];
}

/// <summary>An in-memory WAL that records when it is disposed and what the runtime looked like then; can hang its flush.</summary>
internal sealed class RecordingWalStore(Journal journal, Func<string>? describeAtDispose = null) : IWalStore
{
    private readonly InMemoryWalStore _inner = new();
    private int _disposals;

    /// <summary>When set, DisposeAsync signals <see cref="DisposeEntered"/> and then waits for this task.</summary>
    public Task? HoldFlush { get; set; }

    public TaskCompletionSource DisposeEntered { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public int Disposals => Volatile.Read(ref _disposals);

    public ValueTask<IReadOnlyList<long>> AppendAsync(IReadOnlyList<WalRecord> records, CancellationToken cancellationToken = default) =>
        _inner.AppendAsync(records, cancellationToken);

    public IAsyncEnumerable<WalEntry> ReadAsync(long afterSequence = 0, CancellationToken cancellationToken = default) =>
        _inner.ReadAsync(afterSequence, cancellationToken);

    public ValueTask MarkReplayedAsync(long sequence, CancellationToken cancellationToken = default) =>
        _inner.MarkReplayedAsync(sequence, cancellationToken);

    public ValueTask<WalStats> GetStatsAsync(CancellationToken cancellationToken = default) => _inner.GetStatsAsync(cancellationToken);

    public async ValueTask DisposeAsync()
    {
        Interlocked.Increment(ref _disposals);
        journal.Add("wal flushed" + (describeAtDispose is null ? "" : ": " + describeAtDispose()));
        DisposeEntered.TrySetResult();
        if (HoldFlush is { } hold) await hold;
        await _inner.DisposeAsync();
    }
}

/// <summary>A write target that accepts everything.</summary>
internal sealed class AcceptingTarget : IBufferedWriteTarget
{
    public ValueTask WriteAsync(WalEntry entry, CancellationToken cancellationToken) => ValueTask.CompletedTask;

    public ValueTask<bool> IsAppliedAsync(WalEntry entry, CancellationToken cancellationToken) => ValueTask.FromResult(false);
}

/// <summary>A probe that is always healthy and records its rounds.</summary>
internal sealed class HealthyProbe(ComponentId component, Journal journal, Func<string>? describe = null) : IProbe
{
    private readonly TaskCompletionSource _firstRound = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _rounds;

    public ComponentId Component => component;

    public Task FirstRound => _firstRound.Task;

    public ValueTask<ProbeResult> ProbeAsync(CancellationToken cancellationToken)
    {
        if (Interlocked.Increment(ref _rounds) == 1)
        {
            journal.Add($"probe {component} first round" + (describe is null ? "" : ": " + describe()));
            _firstRound.SetResult();
        }
        return ValueTask.FromResult(ProbeResult.Healthy());
    }
}

/// <summary>A recovery step that succeeds.</summary>
internal sealed class PassingStep(string name) : IRecoveryStep
{
    public string Name => name;

    public ValueTask<RecoveryStepResult> ExecuteAsync(RecoveryStepContext context, CancellationToken cancellationToken) =>
        ValueTask.FromResult(RecoveryStepResult.Success());
}

/// <summary>An audit store that keeps every transition it is given.</summary>
internal sealed class ListAuditStore : IAuditStore
{
    private readonly ConcurrentQueue<ModeTransition> _transitions = new();

    public IReadOnlyList<ModeTransition> Transitions => [.. _transitions];

    public ValueTask AppendAsync(ModeTransition transition, CancellationToken cancellationToken)
    {
        _transitions.Enqueue(transition);
        return ValueTask.CompletedTask;
    }
}

/// <summary>An operator-state store in memory.</summary>
internal sealed class StoredOperatorState : IOperatorStateStore
{
    public OperatorState? Saved { get; set; }

    public OperatorState? Load() => Saved;

    public void Save(OperatorState state) => Saved = state;
}
