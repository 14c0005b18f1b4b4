namespace Degradation;

/// <summary>Registration of one component in <see cref="DegradationOptions.Components"/>.</summary>
public sealed class ComponentOptions : OptionsSection
{
    /// <summary>
    /// A critical component's failure may close trading; an optional component's failure degrades at most
    /// to <see cref="SystemMode.Degraded"/>, and a silent critical component escalates to SafeMode.
    /// </summary>
    public bool Critical { get; set => field = Settable(value); }

    /// <summary>How long the component's latest report stays valid; <see cref="StatusOptions.ComponentTtl"/> when null.</summary>
    public TimeSpan? StatusTtl { get; set => field = Settable(value); }

    /// <summary>The reason a timeout of this component's probe reports (e.g. <c>"risk.timeout"</c>); the component's failure reason when null.</summary>
    public string? TimeoutReason { get; set => field = Settable(value); }

    /// <summary>The name of the fallback strategy that takes over while this (optional) component is down, shown in health reports.</summary>
    public string? Fallback { get; set => field = Settable(value); }

    /// <summary>A short human category for reports, e.g. "market data" or "storage".</summary>
    public string? Category { get; set => field = Settable(value); }
}
