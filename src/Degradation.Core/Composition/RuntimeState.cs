namespace Degradation.Composition;

/// <summary>Where a <see cref="DegradationRuntime"/> is in its one-way lifecycle.</summary>
internal enum RuntimeState
{
    /// <summary>Built: the system exists, its gate closed by the cold start; nothing runs.</summary>
    Built,
    /// <summary>The write-ahead log and the write buffer are open; nothing runs.</summary>
    Opened,
    /// <summary>Everything runs.</summary>
    Started,
    /// <summary>Stopped in order; it cannot start again.</summary>
    Stopped,
    /// <summary>Opening or starting failed: the gate was shut and what had started was stopped.</summary>
    Failed,
}
