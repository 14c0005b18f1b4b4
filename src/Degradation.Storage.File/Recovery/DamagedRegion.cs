namespace Degradation.Storage.File.Recovery;

/// <summary>Unreadable bytes found by <see cref="SegmentScanner"/> and the sequence numbers they took with them.</summary>
internal readonly record struct DamagedRegion(long Offset, string Problem, long? FirstLost, long? LastLost);
