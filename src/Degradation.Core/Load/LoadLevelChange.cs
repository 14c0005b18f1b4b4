namespace Degradation.Load;

/// <summary>One change of the load level, with the measurements that caused it.</summary>
/// <param name="From">Level before.</param>
/// <param name="To">Level after.</param>
/// <param name="Lag">Consumer lag (messages) at the change.</param>
/// <param name="HeapPercent">Heap load (percent) at the change.</param>
/// <param name="WallTime">Wall-clock time, for display.</param>
/// <param name="Timestamp">Monotonic timestamp (<see cref="TimeProvider.GetTimestamp"/>).</param>
/// <param name="OperatorId">The operator, for a manual reset.</param>
public readonly record struct LoadLevelChange(LoadLevel From, LoadLevel To, long Lag, double HeapPercent,
    DateTimeOffset WallTime, long Timestamp, string? OperatorId = null)
{
    /// <summary>True when the level rose.</summary>
    public bool IsEscalation => To > From;

    /// <inheritdoc />
    public override string ToString() =>
        $"{From} -> {To} (lag {Lag}, heap {HeapPercent:0.#}%{(OperatorId is null ? "" : ", reset by " + OperatorId)})";
}
