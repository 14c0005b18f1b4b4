using System.ComponentModel.DataAnnotations;

namespace Degradation;

/// <summary>What operators may do (section <c>Degradation:Operator</c>): override TTL bounds and the kill switch.</summary>
public sealed class OperatorOptions : OptionsSection, IValidatableObject
{
    /// <summary>Shortest TTL an operator override may have.</summary>
    [ValidDuration]
    public TimeSpan MinOverrideTtl { get; set => field = Settable(value); } = TimeSpan.FromSeconds(1);

    /// <summary>Longest TTL an operator override may have; not below <see cref="MinOverrideTtl"/>.</summary>
    [ValidDuration]
    public TimeSpan MaxOverrideTtl { get; set => field = Settable(value); } = TimeSpan.FromHours(1);

    /// <summary>How long each kill-switch action may run before it is cancelled and reported as timed out.</summary>
    [ValidDuration]
    public TimeSpan KillSwitchActionTimeout { get; set => field = Settable(value); } = TimeSpan.FromSeconds(10);

    /// <inheritdoc />
    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        ArgumentNullException.ThrowIfNull(validationContext);
        if (MaxOverrideTtl < MinOverrideTtl && MinOverrideTtl > TimeSpan.Zero && MaxOverrideTtl > TimeSpan.Zero)
        {
            var prefix = OptionsKey.Prefix(validationContext);
            yield return new($"{prefix}{nameof(MaxOverrideTtl)} ({OptionsKey.Format(MaxOverrideTtl)}) must not be below {prefix}{nameof(MinOverrideTtl)} ({OptionsKey.Format(MinOverrideTtl)}).");
        }
    }
}
