namespace Degradation;

/// <summary>
/// A recovery step that replays the write buffer in order (SPEC §8: "replay the write buffer"). The database
/// is an optional component: if it still refuses writes, the step succeeds with the replay deferred — entries
/// before the failing one stay replayed, the rest stay durable in the buffer (which keeps the system Degraded),
/// and the application replays again when the database is back. Failing the step would instead end the
/// recovery run in Halt over an optional dependency.
/// </summary>
public sealed class WriteBufferReplayStep(WriteBuffer buffer) : IRecoveryStep
{
    /// <inheritdoc />
    public string Name => "replay write buffer";

    /// <inheritdoc />
    public async ValueTask<RecoveryStepResult> ExecuteAsync(RecoveryStepContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        try
        {
            var result = await buffer.ReplayAsync(cancellationToken).ConfigureAwait(false);
            return RecoveryStepResult.Success($"replayed {result.Replayed}, skipped {result.DuplicatesSkipped + result.AlreadyApplied}, remaining {result.Remaining}");
        }
        catch (WriteBufferReplayException ex)
        {
            return RecoveryStepResult.Success($"replay deferred at {ex.IdempotentKey} (sequence {ex.Sequence}): {ex.InnerException?.Message}; {ex.Progress.Replayed} replayed, the rest stays buffered");
        }
    }
}
