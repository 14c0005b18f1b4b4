namespace Degradation;

/// <summary>Component fallbacks (<see cref="IComponentFallback"/>) while their component is down (section <c>Degradation:Fallbacks</c>).</summary>
public sealed class FallbackOptions : OptionsSection
{
    /// <summary>How often an active component fallback refreshes its data (<see cref="IComponentFallback.RefreshData"/>).</summary>
    [ValidDuration]
    public TimeSpan RefreshInterval { get; set => field = Settable(value); } = TimeSpan.FromSeconds(30);
}
