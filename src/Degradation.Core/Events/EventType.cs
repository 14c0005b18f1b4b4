namespace Degradation.Events;

/// <summary>The kind of a <see cref="SystemEvent"/>.</summary>
public enum EventType : byte
{
    /// <summary>A critical component failed.</summary>
    FailCritical = 0,
    /// <summary>A support component failed.</summary>
    FailSupport = 1,
    /// <summary>The component recovered: its failure conditions are cleared (Halt conditions excepted).</summary>
    Recovered = 2,
    /// <summary>The component is alive; keeps its status fresh.</summary>
    Heartbeat = 3,
    /// <summary>The component works but its quality dropped.</summary>
    QualityDegraded = 4,
}
