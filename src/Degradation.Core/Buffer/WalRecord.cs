namespace Degradation.Buffering;

/// <summary>One write handed to the write buffer, as stored in an <see cref="IWalStore"/>.</summary>
public sealed record WalRecord
{
    /// <summary>Unique key of the write; replay applies each key exactly once.</summary>
    public required string IdempotentKey { get; init; }
    /// <summary>The kind of resource written (e.g. "order", "fill").</summary>
    public required string ResourceType { get; init; }
    /// <summary>The resource's id.</summary>
    public required string ResourceId { get; init; }
    /// <summary>The new state (typically UTF-8 JSON).</summary>
    public required ReadOnlyMemory<byte> Payload { get; init; }
    /// <summary>The previous state, if the writer supplies it (typically UTF-8 JSON).</summary>
    public ReadOnlyMemory<byte>? OldState { get; init; }
    /// <summary>When the write was buffered (wall clock, from the TimeProvider).</summary>
    public required DateTimeOffset CreatedAt { get; init; }
}
