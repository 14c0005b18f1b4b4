namespace Degradation.Storage.File;

/// <summary>
/// A loss report: a damaged region or a gap in the sequence found when the WAL was opened, and what became of it.
/// Each lost range is reported once (the loss journal remembers it); see the package README.
/// </summary>
public sealed record WalCorruption
{
    /// <summary>The damaged segment file (it now holds only its readable records), or for a gap without damaged bytes the segment where the gap shows (the one after it).</summary>
    public required string SegmentPath { get; init; }
    /// <summary>The untouched copy of the damaged file, kept for inspection (null when nothing was changed).</summary>
    public string? QuarantinePath { get; init; }
    /// <summary>Byte offset of the damage in the original file (for a gap: where the missing records would have been, or 0 when it shows at a segment start).</summary>
    public required long Offset { get; init; }
    /// <summary>What is wrong, e.g. "record checksum mismatch".</summary>
    public required string Problem { get; init; }
    /// <summary>First lost sequence number; null when no record was lost (e.g. only the header was damaged).</summary>
    public long? FirstLostSequence { get; init; }
    /// <summary>Last lost sequence number (inclusive); null exactly when <see cref="FirstLostSequence"/> is null.</summary>
    public long? LastLostSequence { get; init; }
    /// <summary>True when records that were not yet replayed may have been lost.</summary>
    public required bool LostUnreplayedEntries { get; init; }
    /// <summary>Readable records kept from the segment.</summary>
    public required int SalvagedRecords { get; init; }

    /// <summary>One line for logs and alerts.</summary>
    public override string ToString()
    {
        var lost = FirstLostSequence is null ? "no record lost"
            : LastLostSequence is null ? $"records from sequence {FirstLostSequence} to the end of the segment lost"
            : FirstLostSequence == LastLostSequence ? $"record {FirstLostSequence} lost"
            : $"records {FirstLostSequence}..{LastLostSequence} lost";
        return $"{Problem} at offset {Offset} of {SegmentPath}: {lost}{(LostUnreplayedEntries ? " (not yet replayed)" : " (already replayed)")}; {SalvagedRecords} records kept; original quarantined as {QuarantinePath ?? "(none)"}";
    }
}
