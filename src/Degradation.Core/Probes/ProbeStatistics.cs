namespace Degradation.Probes;

/// <summary>Counters and effective settings of one registered probe.</summary>
/// <param name="Component">The component.</param>
/// <param name="Rounds">Rounds completed.</param>
/// <param name="Exceptions">Calls that threw.</param>
/// <param name="Timeouts">Calls that timed out (or were skipped because the previous call still hung).</param>
/// <param name="Interval">Effective healthy interval.</param>
/// <param name="UnhealthyInterval">Effective interval while unhealthy.</param>
/// <param name="Timeout">Effective call timeout.</param>
/// <param name="TimeoutReason">Reason reported for a timeout.</param>
public sealed record ProbeStatistics(ComponentId Component, long Rounds, long Exceptions, long Timeouts,
    TimeSpan Interval, TimeSpan UnhealthyInterval, TimeSpan Timeout, ReasonCode TimeoutReason);
