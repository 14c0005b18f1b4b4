namespace Degradation.Buffering;

/// <summary>What one <see cref="WriteBuffer.ReplayAsync"/> run did.</summary>
/// <param name="Replayed">Entries handed to the target and committed.</param>
/// <param name="DuplicatesSkipped">Entries skipped because their idempotent key was already replayed.</param>
/// <param name="AlreadyApplied">Entries skipped because the target reported them applied (a previous run was interrupted after the target committed).</param>
/// <param name="Remaining">Entries still buffered when the run ended (appended while it ran, too late to be read).</param>
public readonly record struct ReplayResult(int Replayed, int DuplicatesSkipped, int AlreadyApplied, int Remaining);
