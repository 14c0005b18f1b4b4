using Degradation.Storage.File.Format;

namespace Degradation.Storage.File.Recovery;

/// <summary>One segment file found on open: what its scan found and what recovery will do with it.</summary>
internal sealed class SegmentPlan(string path, long nameSequence, bool isNewest, long fileLength, SegmentScan scan)
{
    public string Path { get; } = path;
    public long NameSequence { get; } = nameSequence;
    public bool IsNewest { get; } = isNewest;
    public long FileLength { get; } = fileLength;
    public SegmentScan Scan { get; } = scan;

    /// <summary>The records the segment keeps (all valid ones, minus those after a torn tail).</summary>
    public List<RecordInfo> Kept { get; set; } = scan.Records;

    /// <summary>Where an unacknowledged torn write at the end of the newest segment starts; it is cut off there.</summary>
    public long? TornAt { get; set; }

    /// <summary>Damage that is not a torn write: the segment is quarantined and rewritten with <see cref="Kept"/>.</summary>
    public List<DamagedRegion> Damage { get; set; } = scan.Damage;

    /// <summary>The untouched copy kept in the quarantine folder (when damaged).</summary>
    public string? QuarantinePath { get; set; }
}
