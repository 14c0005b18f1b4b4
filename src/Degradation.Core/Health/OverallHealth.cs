namespace Degradation.Health;

/// <summary>The one-word state of the whole system in a <see cref="HealthReport"/>.</summary>
public enum OverallHealth : byte
{
    /// <summary>Trading in Normal mode with every component healthy.</summary>
    FullyOperational = 0,
    /// <summary>Trading goes on, with restrictions, fallbacks or unhealthy optional components.</summary>
    Degraded = 1,
    /// <summary>New orders are refused (safe modes, Halt, or recovery not finished).</summary>
    Paused = 2,
}
