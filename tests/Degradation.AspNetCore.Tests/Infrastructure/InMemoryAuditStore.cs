using System.Collections.Concurrent;

namespace Degradation.Tests.Infrastructure;

/// <summary>Keeps every audited transition in memory, in order.</summary>
public sealed class InMemoryAuditStore : IAuditStore
{
    private readonly ConcurrentQueue<ModeTransition> _entries = new();

    public IReadOnlyList<ModeTransition> Entries => [.. _entries];

    public ValueTask AppendAsync(ModeTransition transition, CancellationToken cancellationToken)
    {
        _entries.Enqueue(transition);
        return ValueTask.CompletedTask;
    }
}
