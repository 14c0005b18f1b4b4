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
    /// <summary>Bytes of a torn write cut off the end of the newest segment (incomplete, zero-filled or unreadable bytes after the last acknowledged record); never acknowledged data, so not a loss.</summary>
    public required long TornTailBytesTruncated { get; init; }
    /// <summary>Loss reports delivered by this open: found now, or found by an earlier open that did not get to deliver them (empty when there were none).</summary>
    public required IReadOnlyList<WalCorruption> Corruptions { get; init; }
    /// <summary>How long opening took.</summary>
    public required TimeSpan Elapsed { get; init; }
}
