namespace Degradation.Probes;

/// <summary>What one probe call found.</summary>
public enum ProbeStatus : byte
{
    /// <summary>The component works.</summary>
    Healthy = 0,
    /// <summary>The component works but its quality dropped (→ a <see cref="EventType.QualityDegraded"/> verdict).</summary>
    Degraded = 1,
    /// <summary>The component does not work (→ a failure verdict).</summary>
    Unhealthy = 2,
}
