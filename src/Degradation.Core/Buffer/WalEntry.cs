namespace Degradation.Buffering;

/// <summary>A record read back from an <see cref="IWalStore"/> with its position.</summary>
/// <param name="Sequence">The store's strictly increasing sequence number for the record (starts at 1).</param>
/// <param name="Record">The record.</param>
public readonly record struct WalEntry(long Sequence, WalRecord Record);
