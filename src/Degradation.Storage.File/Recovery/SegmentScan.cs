using Degradation.Storage.File.Format;

namespace Degradation.Storage.File.Recovery;

/// <summary>What <see cref="SegmentScanner"/> found in one segment file.</summary>
internal sealed class SegmentScan
{
    /// <summary>Every valid record, in file order (offsets in the scanned file).</summary>
    public List<RecordInfo> Records { get; } = [];
    /// <summary>Damage that is not a torn tail; non-empty means the segment must be quarantined.</summary>
    public List<DamagedRegion> Damage { get; } = [];
    /// <summary>Offset where an incomplete or zero-filled write at the end of the newest segment starts.</summary>
    public long? TornTailAt { get; set; }
    /// <summary>The newest segment was created but its header never completely written, and it holds nothing.</summary>
    public bool TornCreation { get; set; }
}
