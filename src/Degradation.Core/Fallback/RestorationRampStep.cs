namespace Degradation.Fallback;

/// <summary>One step of the gradual restoration to the primary tier: the share of traffic it receives and how long the step lasts before it is validated.</summary>
public sealed class RestorationRampStep : OptionsSection
{
    /// <summary>Creates a step (settable properties are there for configuration binding).</summary>
    public RestorationRampStep() { }

    /// <summary>Creates a step.</summary>
    /// <param name="trafficPercent">Share of calls sent to the primary during the step (1–100).</param>
    /// <param name="duration">How long the step collects evidence before it is validated (zero or more).</param>
    public RestorationRampStep(int trafficPercent, TimeSpan duration)
    {
        TrafficPercent = trafficPercent;
        Duration = duration;
    }

    /// <summary>Share of calls sent to the primary during the step (1–100). The step that reaches 100 completes the restoration.</summary>
    public int TrafficPercent { get; set => field = Settable(value); }

    /// <summary>How long the step collects evidence before its validation checks are evaluated; a step that fails them collects a fresh window of the same length and is judged again.</summary>
    public TimeSpan Duration { get; set => field = Settable(value); }

    /// <inheritdoc />
    public override string ToString() => $"{TrafficPercent}% for {OptionsKey.Format(Duration)}";
}
