namespace Degradation.Buffering;

/// <summary>Builds an <see cref="IBufferedWriteTarget"/> from delegates.</summary>
public static class BufferedWriteTarget
{
    /// <summary>Creates a target that applies writes with <paramref name="write"/>.</summary>
    /// <param name="write">Applies one write; returns once committed, throws when not applied.</param>
    /// <param name="isApplied">
    /// Whether a key is already applied (see <see cref="IBufferedWriteTarget.IsAppliedAsync"/>). When null, the
    /// target must be idempotent on the key: after each failure between commit and progress record (a crash,
    /// <paramref name="write"/> throwing after its commit, the progress record failing), the one in-flight entry
    /// is delivered once more at the start of the next replay — at most 1 + k deliveries after k such failures.
    /// </param>
    public static IBufferedWriteTarget Create(
        Func<WalEntry, CancellationToken, ValueTask> write,
        Func<WalEntry, CancellationToken, ValueTask<bool>>? isApplied = null)
    {
        ArgumentNullException.ThrowIfNull(write);
        return new DelegateTarget(write, isApplied);
    }

    private sealed class DelegateTarget(
        Func<WalEntry, CancellationToken, ValueTask> write,
        Func<WalEntry, CancellationToken, ValueTask<bool>>? isApplied) : IBufferedWriteTarget
    {
        public ValueTask WriteAsync(WalEntry entry, CancellationToken cancellationToken) => write(entry, cancellationToken);

        public ValueTask<bool> IsAppliedAsync(WalEntry entry, CancellationToken cancellationToken) =>
            isApplied is null ? ValueTask.FromResult(false) : isApplied(entry, cancellationToken);
    }
}
