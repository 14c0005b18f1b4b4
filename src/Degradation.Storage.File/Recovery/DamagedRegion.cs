namespace Degradation.Storage.File.Recovery;

/// <summary>Unreadable bytes found by <see cref="SegmentScanner"/>, starting at <paramref name="Offset"/>.</summary>
internal readonly record struct DamagedRegion(long Offset, string Problem);
