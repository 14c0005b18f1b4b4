namespace Degradation;

/// <summary>
/// A recovery step that replays the write buffer in order (SPEC §8: "replay the write buffer"). A failed
/// replay is a retryable step failure; entries before the failing one stay replayed.
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
            return RecoveryStepResult.Failure($"replay stopped at {ex.IdempotentKey} (sequence {ex.Sequence}): {ex.InnerException?.Message}");
        }
    }
}
