namespace Degradation.Buffering;

/// <summary>The outcome of <see cref="WriteBuffer.EnqueueAsync"/>.</summary>
/// <param name="Sequence">The store sequence of the buffered entry for this key (0 when <see cref="EnqueueOutcome.AlreadyReplayed"/>).</param>
/// <param name="Outcome">Whether the write was appended or deduplicated by its idempotent key.</param>
public readonly record struct EnqueueResult(long Sequence, EnqueueOutcome Outcome);
