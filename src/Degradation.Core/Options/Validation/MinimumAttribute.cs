using System.ComponentModel.DataAnnotations;

namespace Degradation;

/// <summary>
/// A numeric option with a lower bound (e.g. a count that must be at least 1, a rate that must not be negative). A
/// floating-point value must also be finite. The error names the key path and the value.
/// </summary>
/// <param name="minimum">The smallest value accepted.</param>
[AttributeUsage(AttributeTargets.Property | AttributeTargets.Field, AllowMultiple = false)]
public sealed class MinimumAttribute(long minimum) : ValidationAttribute
{
    /// <summary>The smallest value accepted.</summary>
    public long Minimum { get; } = minimum;

    /// <inheritdoc />
    protected override ValidationResult? IsValid(object? value, ValidationContext validationContext)
    {
        ArgumentNullException.ThrowIfNull(validationContext);
        var valid = value switch
        {
            int i => i >= Minimum,
            long l => l >= Minimum,
            double d => double.IsFinite(d) && d >= Minimum,
            _ => true,
        };
        if (valid) return ValidationResult.Success;
        var finite = value is double ? "a finite number " : "";
        return new ValidationResult($"{OptionsKey.Of(validationContext)} must be {finite}>= {OptionsKey.Format(Minimum)} (was {OptionsKey.Format(value)}).");
    }
}
