namespace Degradation.Buffering;

/// <summary>
/// Thrown by <see cref="WriteBuffer.ReplayAsync"/> when the target fails an entry. Entries before it are
/// replayed and recorded; the failed entry and those after it stay buffered and the next replay resumes there.
/// </summary>
public sealed class WriteBufferReplayException : Exception
{
    /// <summary>Creates the exception.</summary>
    public WriteBufferReplayException(long sequence, string idempotentKey, ReplayResult progress, Exception innerException)
        : base($"Replay stopped at sequence {sequence} (idempotent key '{idempotentKey}'): the target failed: {innerException?.Message}", innerException)
    {
        Sequence = sequence;
        IdempotentKey = idempotentKey;
        Progress = progress;
    }

    /// <summary>The sequence of the entry the target failed.</summary>
    public long Sequence { get; }
    /// <summary>The idempotent key of the entry the target failed.</summary>
    public string IdempotentKey { get; }
    /// <summary>What the run did before the failure.</summary>
    public ReplayResult Progress { get; }
}
