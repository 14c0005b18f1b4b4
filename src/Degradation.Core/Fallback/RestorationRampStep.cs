namespace Degradation.Fallback;

/// <summary>One step of the gradual restoration to the primary tier: the share of traffic it receives and how long the step lasts before it is validated.</summary>
public sealed class RestorationRampStep
{
    /// <summary>Creates a step (settable properties are there for configuration binding).</summary>
    public RestorationRampStep() { }

    /// <summary>Creates a step.</summary>
    public RestorationRampStep(int trafficPercent, double durationSeconds)
    {
        TrafficPercent = trafficPercent;
        DurationSeconds = durationSeconds;
    }

    /// <summary>Share of calls sent to the primary during the step (1–100). The step that reaches 100 completes the restoration.</summary>
    public int TrafficPercent { get; set; }

    /// <summary>Seconds of evidence the step collects before its validation checks are evaluated; a step that fails them collects a fresh window of the same length and is judged again.</summary>
    public double DurationSeconds { get; set; }

    /// <inheritdoc />
    public override string ToString() => $"{TrafficPercent}% for {DurationSeconds} s";
}
