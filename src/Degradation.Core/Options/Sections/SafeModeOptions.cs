namespace Degradation;

/// <summary>SafeMode and SafeModeDisconnected (section <c>Degradation:SafeMode</c>).</summary>
public sealed class SafeModeOptions : OptionsSection
{
    /// <summary>Shortest stay in SafeMode / SafeModeDisconnected before leaving them (through Recovering).</summary>
    [ValidDuration(AllowZero = true)]
    public TimeSpan MinDwell { get; set => field = Settable(value); } = TimeSpan.FromSeconds(30);
}
