using System.ComponentModel.DataAnnotations;

namespace Degradation;

/// <summary>A whole-number option with a lower bound (e.g. a count that must be at least 1). The error names the key path and the value.</summary>
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
        long? number = value switch { int i => i, long l => l, _ => null };
        if (number is null || number >= Minimum) return ValidationResult.Success;
        return new ValidationResult($"{OptionsKey.Of(validationContext)} must be >= {OptionsKey.Format(Minimum)} (was {OptionsKey.Format(number)}).");
    }
}
