namespace Degradation.Buffering;

/// <summary>One replay of the write buffer run by a <see cref="WriteBufferReplayStep"/>.</summary>
/// <param name="Result">What the replay did (for a deferred replay, the progress made before the target refused).</param>
/// <param name="Duration">How long the replay took, on the recovery run's clock.</param>
/// <param name="Deferred">True when the target refused an entry and the rest stays buffered for a later replay.</param>
public readonly record struct WriteBufferReplayRun(ReplayResult Result, TimeSpan Duration, bool Deferred);
