using Degradation.Storage.File.Losses;
using Degradation.Storage.File.Segments;
using Microsoft.Win32.SafeHandles;

namespace Degradation.Storage.File.Recovery;

/// <summary>The state a store starts from after <see cref="WalRecovery"/>.</summary>
internal sealed class RecoveredLog
{
    public required List<Segment> Segments { get; init; }
    public required SafeFileHandle ActiveHandle { get; init; }
    public required long NextSequence { get; init; }
    public required long UnreplayedEntries { get; init; }
    public required long UnreplayedBytes { get; init; }
    public required WalRecoveryReport Report { get; init; }
    public required LossJournal Journal { get; init; }
    /// <summary>Loss reports to deliver: found now, or found by an earlier open that did not get to deliver them.</summary>
    public required List<LossReport> Undelivered { get; init; }
}
