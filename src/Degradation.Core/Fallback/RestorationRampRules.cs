namespace Degradation.Fallback;

/// <summary>
/// The rules of a restoration ramp, which span its steps: at least one step, each sending 1–100 % of traffic for a
/// duration of zero or more, the percentages rising strictly, the last one 100. Messages name the step's key
/// (<c>RestorationRamp:2:TrafficPercent</c>) and the bad value.
/// </summary>
internal static class RestorationRampRules
{
    public static List<string> Check(IList<RestorationRampStep>? ramp, string key)
    {
        var errors = new List<string>();
        if (ramp is null || ramp.Count == 0)
        {
            errors.Add($"{key} must have at least one step (the last sending 100 % of traffic).");
            return errors;
        }
        for (var i = 0; i < ramp.Count; i++)
        {
            var step = ramp[i];
            var stepKey = $"{key}:{OptionsKey.Format(i)}";
            if (step is null) { errors.Add($"{stepKey} is null."); continue; }
            if (step.TrafficPercent is < 1 or > 100)
                errors.Add($"{stepKey}:{nameof(RestorationRampStep.TrafficPercent)} must be between 1 and 100 (was {OptionsKey.Format(step.TrafficPercent)}).");
            if (ValidDurationAttribute.Check(step.Duration, allowZero: true) is { } durationError)
                errors.Add($"{stepKey}:{nameof(RestorationRampStep.Duration)} {durationError}");
            if (i > 0 && ramp[i - 1] is { } previous && step.TrafficPercent <= previous.TrafficPercent)
                errors.Add($"{stepKey}:{nameof(RestorationRampStep.TrafficPercent)} ({OptionsKey.Format(step.TrafficPercent)}) must be above the previous step's ({OptionsKey.Format(previous.TrafficPercent)}).");
        }
        if (ramp[^1] is { } last && last.TrafficPercent != 100)
            errors.Add($"{key}:{OptionsKey.Format(ramp.Count - 1)}:{nameof(RestorationRampStep.TrafficPercent)}: the last step must send 100 % of traffic (was {OptionsKey.Format(last.TrafficPercent)}).");
        return errors;
    }
}
