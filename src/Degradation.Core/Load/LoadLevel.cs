namespace Degradation.Load;

/// <summary>
/// How hard the process is shedding work because of its own load (docs/RULES.md, Load). The value is the
/// level's rank: a higher level degrades more.
/// </summary>
public enum LoadLevel : byte
{
    /// <summary>Full processing.</summary>
    Normal = 0,
    /// <summary>Skip enrichment.</summary>
    Soft = 1,
    /// <summary>Process only critical symbols; drop low-priority data.</summary>
    Graceful = 2,
    /// <summary>Spill to disk; process only critical and high-priority data.</summary>
    Aggressive = 3,
    /// <summary>Stop accepting new data; only critical data passes the shedder.</summary>
    CircuitBreak = 4,
}
