using Degradation.Storage.File.Format;

namespace Degradation.Storage.File.Recovery;

/// <summary>What <see cref="SegmentScanner"/> found in one segment file.</summary>
internal sealed class SegmentScan
{
    /// <summary>Every valid record, in file order (offsets in the scanned file).</summary>
    public List<RecordInfo> Records { get; } = [];
    /// <summary>Unreadable regions in file order. Whether one is a torn write or damage is decided by <see cref="LogAnalysis"/>.</summary>
    public List<DamagedRegion> Damage { get; } = [];
    /// <summary>The newest segment was created but its header never completely written, and it holds nothing.</summary>
    public bool TornCreation { get; set; }
}
