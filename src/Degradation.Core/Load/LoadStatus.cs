namespace Degradation.Load;

/// <summary>A point-in-time view of a <see cref="LoadLevelMonitor"/>.</summary>
public sealed record LoadStatus
{
    /// <summary>The current level.</summary>
    public required LoadLevel Level { get; init; }
    /// <summary>False at <see cref="LoadLevel.CircuitBreak"/>.</summary>
    public required bool IsAcceptingData { get; init; }
    /// <summary>The lag of the latest evaluation.</summary>
    public required long LastLag { get; init; }
    /// <summary>The heap load (percent) of the latest evaluation.</summary>
    public required double LastHeapPercent { get; init; }
    /// <summary>The latest level change, if any.</summary>
    public LoadLevelChange? LastChange { get; init; }
    /// <summary>Level changes since creation.</summary>
    public required long TransitionCount { get; init; }
    /// <summary>How many critical symbols keep flowing at <see cref="LoadLevel.Graceful"/> and above.</summary>
    public required int CriticalSymbolCount { get; init; }
    /// <summary>Time left before the level may step down (zero when recovery is not held back by the cooldown).</summary>
    public required TimeSpan CooldownRemaining { get; init; }
}
