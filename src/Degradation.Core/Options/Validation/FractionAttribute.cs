using System.ComponentModel.DataAnnotations;

namespace Degradation;

/// <summary>A share or rate option between 0 and 1 inclusive (0.05 is 5 %). The error names the key path and the value.</summary>
[AttributeUsage(AttributeTargets.Property | AttributeTargets.Field, AllowMultiple = false)]
public sealed class FractionAttribute : ValidationAttribute
{
    /// <inheritdoc />
    protected override ValidationResult? IsValid(object? value, ValidationContext validationContext)
    {
        ArgumentNullException.ThrowIfNull(validationContext);
        if (value is not double share || share is >= 0 and <= 1) return ValidationResult.Success;
        return new ValidationResult($"{OptionsKey.Of(validationContext)} must be within [0, 1] (was {OptionsKey.Format(share)}).");
    }
}
