namespace Degradation.Buffering;

/// <summary>What <see cref="WriteBuffer.EnqueueAsync"/> did with a write.</summary>
public enum EnqueueOutcome : byte
{
    /// <summary>The write was appended and is durable.</summary>
    Buffered,
    /// <summary>A write with the same idempotent key is already buffered (durable); nothing was appended.</summary>
    AlreadyBuffered,
    /// <summary>A write with the same idempotent key was recently replayed to the target; nothing was appended.</summary>
    AlreadyReplayed,
}
