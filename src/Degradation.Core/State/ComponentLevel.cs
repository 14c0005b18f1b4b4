namespace Degradation.State;

/// <summary>The health level of one component as the state machine sees it.</summary>
public enum ComponentLevel : byte
{
    /// <summary>Reporting and without active conditions.</summary>
    Healthy = 0,
    /// <summary>Has an active condition that maps to <see cref="SystemMode.Degraded"/>.</summary>
    Unstable = 1,
    /// <summary>Has an active condition that maps to <see cref="SystemMode.SafeMode"/> or worse.</summary>
    Tripped = 2,
    /// <summary>Never reported, or silent for longer than its status TTL. Stale status is not health.</summary>
    Unknown = 3,
}
