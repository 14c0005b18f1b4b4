namespace Degradation.Buffering;

/// <summary>Size of the unreplayed part of a write-ahead log.</summary>
/// <param name="Entries">Unreplayed entries.</param>
/// <param name="Bytes">Payload bytes of the unreplayed entries.</param>
/// <param name="OldestCreatedAt">Creation time of the oldest unreplayed entry, null when empty.</param>
/// <param name="LastSequence">Highest sequence number ever appended (0 when none).</param>
public readonly record struct WalStats(long Entries, long Bytes, DateTimeOffset? OldestCreatedAt, long LastSequence);
