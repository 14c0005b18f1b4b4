namespace Degradation.Buffering;

/// <summary>
/// A recovery step that replays the write buffer in order (recovery's "replay the write buffer" step). The database
/// is an optional component: if it still refuses writes, the step succeeds with the replay deferred — entries
/// before the failing one stay replayed, the rest stay durable in the buffer (which keeps the system Degraded),
/// and the application replays again when the database is back. Failing the step would instead end the
/// recovery run in Halt over an optional dependency.
/// </summary>
public sealed class WriteBufferReplayStep(WriteBuffer buffer) : IRecoveryStep
{
    /// <inheritdoc />
    public string Name => "replay write buffer";

    /// <summary>Raised after every replay this step ran (completed or deferred), for metrics and logs. A throwing handler is ignored.</summary>
    public event Action<WriteBufferReplayRun>? Replayed;

    /// <inheritdoc />
    public async ValueTask<RecoveryStepResult> ExecuteAsync(RecoveryStepContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var started = context.TimeProvider.GetTimestamp();
        try
        {
            var result = await buffer.ReplayAsync(cancellationToken).ConfigureAwait(false);
            Notify(new WriteBufferReplayRun(result, context.TimeProvider.GetElapsedTime(started), Deferred: false));
            return RecoveryStepResult.Success($"replayed {result.Replayed}, skipped {result.DuplicatesSkipped + result.AlreadyApplied}, remaining {result.Remaining}");
        }
        catch (WriteBufferReplayException ex)
        {
            Notify(new WriteBufferReplayRun(ex.Progress, context.TimeProvider.GetElapsedTime(started), Deferred: true));
            return RecoveryStepResult.Success($"replay deferred at {ex.IdempotentKey} (sequence {ex.Sequence}): {ex.InnerException?.Message}; {ex.Progress.Replayed} replayed, the rest stays buffered");
        }
    }

    private void Notify(in WriteBufferReplayRun run)
    {
        var handlers = Replayed;
        if (handlers is null) return;
        foreach (var handler in handlers.GetInvocationList())
        {
            try { ((Action<WriteBufferReplayRun>)handler)(run); }
            catch (Exception) { /* an observer must not fail the replay step */ }
        }
    }
}
