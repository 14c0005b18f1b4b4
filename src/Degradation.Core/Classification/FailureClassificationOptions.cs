using System.ComponentModel.DataAnnotations;

namespace Degradation.Classification;

/// <summary>
/// Thresholds of the <see cref="FailureClassifier"/>. A signal breaches a threshold when it is strictly above it; each
/// critical threshold is not below its warning threshold. The classifier validates these options once and runs on a
/// frozen copy: changing this object afterwards changes nothing.
/// </summary>
public sealed class FailureClassificationOptions : OptionsSection, IValidatableObject
{
    /// <summary>Latency above which quality is degraded (default 500 ms).</summary>
    [ValidDuration(AllowZero = true)]
    public TimeSpan LatencyWarning { get; set => field = Settable(value); } = TimeSpan.FromMilliseconds(500);

    /// <summary>Latency above which the dependency has failed (default 2 s); not below <see cref="LatencyWarning"/>.</summary>
    [ValidDuration(AllowZero = true)]
    public TimeSpan LatencyCritical { get; set => field = Settable(value); } = TimeSpan.FromSeconds(2);

    /// <summary>Error rate above which quality is degraded, 0–1 (default 0.01).</summary>
    [Fraction]
    public double ErrorRateWarning { get; set => field = Settable(value); } = 0.01;

    /// <summary>Error rate above which the dependency has failed, 0–1 (default 0.05); not below <see cref="ErrorRateWarning"/>.</summary>
    [Fraction]
    public double ErrorRateCritical { get; set => field = Settable(value); } = 0.05;

    /// <summary>Queue depth above which quality is degraded (default 100).</summary>
    [Minimum(0)]
    public long QueueDepthWarning { get; set => field = Settable(value); } = 100;

    /// <summary>Queue depth above which the dependency has failed (default 500); not below <see cref="QueueDepthWarning"/>.</summary>
    [Minimum(0)]
    public long QueueDepthCritical { get; set => field = Settable(value); } = 500;

    /// <summary>
    /// Checks every value and returns one message per invalid option (empty when valid), each naming the option
    /// (<c>FailureClassificationOptions:LatencyCritical</c>) and the bad value.
    /// </summary>
    public IReadOnlyList<string> Validate() => OptionsValidation.Validate(this);

    /// <summary>Throws <see cref="DegradationOptionsException"/> naming every invalid option.</summary>
    public void ValidateAndThrow() => OptionsValidation.ValidateAndThrow(this);

    /// <summary>The rule across values: a critical threshold is not below its warning threshold (the per-value rules are the attributes).</summary>
    IEnumerable<ValidationResult> IValidatableObject.Validate(ValidationContext validationContext)
    {
        ArgumentNullException.ThrowIfNull(validationContext);
        var prefix = OptionsKey.Prefix(validationContext);
        // Each pair is compared only when both values passed their own rule, so one bad value gives one message.
        if (LatencyCritical < LatencyWarning && LatencyWarning >= TimeSpan.Zero && LatencyCritical >= TimeSpan.Zero)
            yield return Below(prefix, nameof(LatencyCritical), LatencyCritical, nameof(LatencyWarning), LatencyWarning);
        if (ErrorRateCritical < ErrorRateWarning && ErrorRateWarning is >= 0 and <= 1 && ErrorRateCritical is >= 0 and <= 1)
            yield return Below(prefix, nameof(ErrorRateCritical), ErrorRateCritical, nameof(ErrorRateWarning), ErrorRateWarning);
        if (QueueDepthCritical < QueueDepthWarning && QueueDepthCritical >= 0)
            yield return Below(prefix, nameof(QueueDepthCritical), QueueDepthCritical, nameof(QueueDepthWarning), QueueDepthWarning);
    }

    private static ValidationResult Below(string prefix, string critical, object criticalValue, string warning, object warningValue) =>
        new($"{prefix}{critical} ({OptionsKey.Format(criticalValue)}) must not be below {prefix}{warning} ({OptionsKey.Format(warningValue)}).");
}
