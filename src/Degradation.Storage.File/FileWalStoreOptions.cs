using System.Globalization;
using Degradation.Alerts;

namespace Degradation.Storage.File;

/// <summary>Settings of a <see cref="FileWalStore"/>.</summary>
public sealed class FileWalStoreOptions
{
    /// <summary>Smallest allowed <see cref="SegmentSizeBytes"/>.</summary>
    public const long MinSegmentSizeBytes = 4096;
    /// <summary>Largest allowed <see cref="SegmentSizeBytes"/>.</summary>
    public const long MaxSegmentSizeBytes = 1L << 30;
    /// <summary>Largest allowed <see cref="MaxRecordBytes"/>.</summary>
    public const int MaxRecordBytesLimit = 256 * 1024 * 1024;

    /// <summary>The WAL directory (created if missing). One process at a time may open it.</summary>
    public string DirectoryPath { get; set; } = string.Empty;

    /// <summary>
    /// Target size of a segment file; a new segment starts when the next append would exceed it (an append never
    /// spans two segments, so a segment may exceed it by one append). Fully replayed segments are deleted.
    /// Default 64 MiB.
    /// </summary>
    public long SegmentSizeBytes { get; set; } = 64L * 1024 * 1024;

    /// <summary>Largest encoded record (16-byte header, fields and payloads) accepted. Default 16 MiB.</summary>
    public int MaxRecordBytes { get; set; } = 16 * 1024 * 1024;

    /// <summary>
    /// When true, opening a WAL with a corrupt segment throws <see cref="WalCorruptedException"/> and changes nothing.
    /// When false (default), the segment is copied to the <c>quarantine</c> folder, its readable records are kept,
    /// and the loss is reported (<see cref="AlertSink"/>, <see cref="CorruptionDetected"/>, <see cref="FileWalStore.Recovery"/>).
    /// </summary>
    public bool FailOnCorruption { get; set; }

    /// <summary>
    /// Receives a critical alert for every loss report (<see cref="WalCorruption"/>). A report whose alert or
    /// callback failed is not marked delivered and is delivered again on the next open; the store opens anyway.
    /// </summary>
    public IAlertSink? AlertSink { get; set; }

    /// <summary>
    /// Called for every loss report when opening (on the opening thread): found now, or found by an earlier open
    /// that was interrupted before delivering it. Exceptions are swallowed, and the report is delivered again on
    /// the next open.
    /// </summary>
    public Action<WalCorruption>? CorruptionDetected { get; set; }

    /// <summary>The clock for alert times, quarantine names and recovery timing.</summary>
    public TimeProvider TimeProvider { get; set; } = TimeProvider.System;

    /// <summary>Test seam: called after each step of a repair on open (see <c>Recovery.RecoverySteps</c>), so a test can crash there.</summary>
    internal Action<string>? RecoveryStepReached { get; set; }

    /// <summary>Checks every value.</summary>
    /// <exception cref="ArgumentException">A value is invalid; the message names the option and its value.</exception>
    public void Validate()
    {
        if (string.IsNullOrWhiteSpace(DirectoryPath))
            throw new ArgumentException($"{nameof(DirectoryPath)} must name a directory; it is '{DirectoryPath}'.", nameof(DirectoryPath));
        if (SegmentSizeBytes is < MinSegmentSizeBytes or > MaxSegmentSizeBytes)
            throw new ArgumentException(string.Create(CultureInfo.InvariantCulture,
                $"{nameof(SegmentSizeBytes)} must be between {MinSegmentSizeBytes} and {MaxSegmentSizeBytes}; it is {SegmentSizeBytes}."), nameof(SegmentSizeBytes));
        if (MaxRecordBytes < Format.WalFormat.MinRecordSize + 3 || MaxRecordBytes > MaxRecordBytesLimit)
            throw new ArgumentException(string.Create(CultureInfo.InvariantCulture,
                $"{nameof(MaxRecordBytes)} must be between {Format.WalFormat.MinRecordSize + 3} and {MaxRecordBytesLimit}; it is {MaxRecordBytes}."), nameof(MaxRecordBytes));
        if (TimeProvider is null)
            throw new ArgumentException($"{nameof(TimeProvider)} must not be null.", nameof(TimeProvider));
    }
}
