namespace Degradation.Probes;

/// <summary>
/// The result of one health check: healthy, degraded (with a quality) or unhealthy (with a reason, details and
/// whether the failure is transient, e.g. HTTP 503, and worth an immediate retry). A struct: returning it allocates nothing.
/// </summary>
public readonly struct ProbeResult
{
    private ProbeResult(ProbeStatus status, double? quality, ReasonCode reason, string? details, bool transient, TimeSpan? latency)
    {
        Status = status;
        Quality = quality;
        Reason = reason;
        Details = details;
        IsTransient = transient;
        Latency = latency;
    }

    /// <summary>What the probe found.</summary>
    public ProbeStatus Status { get; }
    /// <summary>Quality in [0, 1] for a degraded result.</summary>
    public double? Quality { get; }
    /// <summary>Why it is degraded or unhealthy; empty means the probe's configured reason.</summary>
    public ReasonCode Reason { get; }
    /// <summary>Free text, e.g. "503 Service Unavailable".</summary>
    public string? Details { get; }
    /// <summary>An unhealthy result worth an immediate retry (e.g. HTTP 503).</summary>
    public bool IsTransient { get; }
    /// <summary>Latency the probe measured itself; the runner measures it when null.</summary>
    public TimeSpan? Latency { get; }

    /// <summary>The component works.</summary>
    public static ProbeResult Healthy(TimeSpan? latency = null, string? details = null) =>
        new(ProbeStatus.Healthy, null, default, details, false, CheckLatency(latency));

    /// <summary>The component works with reduced <paramref name="quality"/> (0 = useless, 1 = perfect).</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="quality"/> is outside [0, 1].</exception>
    public static ProbeResult Degraded(double quality, ReasonCode reason = default, string? details = null, TimeSpan? latency = null)
    {
        if (!(quality >= 0 && quality <= 1)) throw new ArgumentOutOfRangeException(nameof(quality), quality, "Quality must be within [0, 1].");
        return new(ProbeStatus.Degraded, quality, reason, details, false, CheckLatency(latency));
    }

    /// <summary>The component does not work.</summary>
    /// <param name="reason">Why; the probe's failure reason when empty.</param>
    /// <param name="details">Free text.</param>
    /// <param name="transient">True for a failure worth an immediate retry (e.g. HTTP 503).</param>
    /// <param name="latency">Latency the probe measured itself.</param>
    public static ProbeResult Unhealthy(ReasonCode reason = default, string? details = null, bool transient = false, TimeSpan? latency = null) =>
        new(ProbeStatus.Unhealthy, null, reason, details, transient, CheckLatency(latency));

    /// <inheritdoc />
    public override string ToString() => Status switch
    {
        ProbeStatus.Healthy => "healthy",
        ProbeStatus.Degraded => $"degraded (quality {Quality:0.##}{(Reason.IsEmpty ? "" : ", " + Reason)})",
        _ => $"unhealthy ({(Reason.IsEmpty ? "" : Reason + ", ")}{(IsTransient ? "transient, " : "")}{Details})",
    };

    private static TimeSpan? CheckLatency(TimeSpan? latency) =>
        latency is { } l && l < TimeSpan.Zero ? throw new ArgumentOutOfRangeException(nameof(latency), latency, "Latency must not be negative.") : latency;
}
