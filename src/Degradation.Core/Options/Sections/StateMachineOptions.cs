namespace Degradation;

/// <summary>State machine housekeeping (section <c>Degradation:StateMachine</c>).</summary>
public sealed class StateMachineOptions : OptionsSection
{
    /// <summary>How many transitions the in-memory history keeps.</summary>
    [Minimum(1)]
    public int TransitionHistorySize { get; set => field = Settable(value); } = 1000;

    /// <summary>How often dwell, stability, TTL and override expiry are re-evaluated.</summary>
    [ValidDuration]
    public TimeSpan TickInterval { get; set => field = Settable(value); } = TimeSpan.FromMilliseconds(100);
}
