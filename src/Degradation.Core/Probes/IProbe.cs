namespace Degradation.Probes;

/// <summary>
/// An asynchronous health check of one component (docs/RULES.md, Detection). The <see cref="ProbeRunner"/> schedules it, applies a
/// timeout (a hung probe is abandoned and counted as a failure), isolates its exceptions (a throw is a failure, not a
/// crash) and turns results into events with hysteresis. Implementations should honour the cancellation token and
/// must not block the calling thread.
/// </summary>
public interface IProbe
{
    /// <summary>The component this probe checks.</summary>
    ComponentId Component { get; }

    /// <summary>Checks the component once.</summary>
    ValueTask<ProbeResult> ProbeAsync(CancellationToken cancellationToken);
}
