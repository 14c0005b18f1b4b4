namespace Degradation.Alerts;

/// <summary>One routing rule of <see cref="AlertChannelOptions"/>: alerts for an audience, at a severity or above, go to a named channel.</summary>
public sealed class AlertChannelRoute : OptionsSection
{
    /// <summary>The channel's name, as given to <see cref="AlertRouter.AddChannel"/> (e.g. <c>pager</c>, <c>chat</c>).</summary>
    public string Channel { get; set => field = Settable(value); } = "";
    /// <summary>The audience it takes (case-insensitive), or null for every audience.</summary>
    public string? Audience { get; set => field = Settable(value); }
    /// <summary>The least severe alert it takes.</summary>
    public Severity MinimumSeverity { get; set => field = Settable(value); } = Severity.Info;
}
