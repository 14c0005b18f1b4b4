namespace Degradation.Probes;

/// <summary>The outcome of one probe round, after timeout, exception isolation, transient retries and hysteresis.</summary>
public sealed record ProbeObservation
{
    /// <summary>The component probed.</summary>
    public required ComponentId Component { get; init; }
    /// <summary>What the round found.</summary>
    public required ProbeStatus Status { get; init; }
    /// <summary>The failure or quality reason (empty when healthy).</summary>
    public ReasonCode Reason { get; init; }
    /// <summary>Details from the probe, the exception or the timeout.</summary>
    public string? Details { get; init; }
    /// <summary>Quality of a degraded result.</summary>
    public double? Quality { get; init; }
    /// <summary>Latency of the last call of the round.</summary>
    public required TimeSpan Latency { get; init; }
    /// <summary>The last call timed out (or the previous call was still hung).</summary>
    public bool TimedOut { get; init; }
    /// <summary>The last call threw.</summary>
    public bool Threw { get; init; }
    /// <summary>The last call failed transiently.</summary>
    public bool Transient { get; init; }
    /// <summary>Calls made in the round (more than 1 when a transient failure was retried).</summary>
    public required int Attempts { get; init; }
    /// <summary>Bad observations in the current failure streak (0 when the streak is over).</summary>
    public required int StreakFailures { get; init; }
    /// <summary>What was published.</summary>
    public required ProbeVerdict Verdict { get; init; }
    /// <summary>False when the bus dropped the published event.</summary>
    public required bool Published { get; init; }
    /// <summary>Wall time of the end of the round, for display.</summary>
    public required DateTimeOffset WallTime { get; init; }
    /// <summary>Monotonic timestamp of the end of the round.</summary>
    public required long Timestamp { get; init; }

    /// <inheritdoc />
    public override string ToString() => $"{Component}: {Status}{(Reason.IsEmpty ? "" : " " + Reason)} → {Verdict}";
}
