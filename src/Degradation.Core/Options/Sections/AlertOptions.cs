namespace Degradation;

/// <summary>Which conditions raise alerts (section <c>Degradation:Alerts</c>).</summary>
public sealed class AlertOptions : OptionsSection
{
    /// <summary>Send a warning alert when a component becomes unstable (the hosting package routes it to the registered alert sinks).</summary>
    public bool OnUnstable { get; set => field = Settable(value); } = true;
}
