namespace Degradation;

/// <summary>How long component reports stay valid (section <c>Degradation:Status</c>).</summary>
public sealed class StatusOptions : OptionsSection
{
    /// <summary>Default TTL of a component's latest report (a component may set its own <see cref="ComponentOptions.StatusTtl"/>).</summary>
    [ValidDuration]
    public TimeSpan ComponentTtl { get; set => field = Settable(value); } = TimeSpan.FromSeconds(30);

    /// <summary>A component whose status TTL expired becomes Unknown (never silently Healthy).</summary>
    public bool UnknownOnTtlExpiry { get; set => field = Settable(value); } = true;

    /// <summary>
    /// Time after start after which the hosting package logs a Warning, once per component, while recovery waits on a
    /// critical component that has never reported (naming the two fixes: add a probe, or mark it optional).
    /// </summary>
    [ValidDuration]
    public TimeSpan NeverReportedWarning { get; set => field = Settable(value); } = TimeSpan.FromSeconds(30);
}
