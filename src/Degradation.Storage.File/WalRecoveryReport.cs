namespace Degradation.Storage.File;

/// <summary>What opening a <see cref="FileWalStore"/> found and did.</summary>
public sealed record WalRecoveryReport
{
    /// <summary>Segment files read and checked.</summary>
    public required int SegmentsScanned { get; init; }
    /// <summary>Fully replayed segment files deleted.</summary>
    public required int SegmentsDeleted { get; init; }
    /// <summary>Unreplayed entries found.</summary>
    public required long UnreplayedEntries { get; init; }
    /// <summary>The durable replay checkpoint.</summary>
    public required long ReplayedThrough { get; init; }
    /// <summary>The highest durable sequence number.</summary>
    public required long LastSequence { get; init; }
    /// <summary>Bytes of an incomplete (torn) or zero-filled write cut off the end of the newest segment; never acknowledged data.</summary>
    public required long TornTailBytesTruncated { get; init; }
    /// <summary>Damage found and quarantined (empty when the log was clean).</summary>
    public required IReadOnlyList<WalCorruption> Corruptions { get; init; }
    /// <summary>How long opening took.</summary>
    public required TimeSpan Elapsed { get; init; }
}
