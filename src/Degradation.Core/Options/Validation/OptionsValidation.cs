using System.ComponentModel.DataAnnotations;
using System.Reflection;

namespace Degradation;

/// <summary>
/// Applies the DataAnnotations rules of options without a DI container: each section's validation attributes and
/// <see cref="IValidatableObject"/> rules, then the top-level rules, every message naming the full key path. The hosting
/// package runs the same attributes through source-generated validators.
/// </summary>
internal static class OptionsValidation
{
    public static IReadOnlyList<string> Validate(DegradationOptions options, string root)
    {
        ArgumentNullException.ThrowIfNull(options);
        var errors = new List<string>();
        foreach (var (name, section) in options.Sections())
            if (section is not null) ValidateSection(section, $"{root}:{name}", errors);
        var context = new ValidationContext(options, root, null, null);
        foreach (var result in ((IValidatableObject)options).Validate(context))
            if (result.ErrorMessage is { } message) errors.Add(message);
        return errors;
    }

    /// <summary>
    /// The rules of one section used on its own (<see cref="Fallback.FallbackChainOptions"/>,
    /// <see cref="Classification.FailureClassificationOptions"/>, ...): messages start with the type and the property
    /// (<c>FallbackChainOptions:BreakDuration</c>), as the hosting package's generated validators name them for an unnamed
    /// options instance, and nested entries follow (<c>FallbackChainOptions:RestorationRamp:2:TrafficPercent</c>).
    /// </summary>
    public static IReadOnlyList<string> Validate(OptionsSection section)
    {
        ArgumentNullException.ThrowIfNull(section);
        var errors = new List<string>();
        ValidateSection(section, section.GetType().Name, errors);
        return errors;
    }

    /// <summary>Throws <see cref="DegradationOptionsException"/> naming every invalid option of <paramref name="section"/>.</summary>
    public static void ValidateAndThrow(OptionsSection section)
    {
        var errors = Validate(section);
        if (errors.Count > 0) throw new DegradationOptionsException(errors);
    }

    private static void ValidateSection(OptionsSection section, string path, List<string> errors)
    {
        foreach (var property in section.GetType().GetProperties(BindingFlags.Public | BindingFlags.Instance))
        {
            var attributes = property.GetCustomAttributes<ValidationAttribute>(inherit: true).ToArray();
            if (attributes.Length == 0) continue;
            var value = property.GetValue(section);
            var context = new ValidationContext(section, $"{path}:{property.Name}", null, null) { MemberName = property.Name };
            foreach (var attribute in attributes)
                if (attribute.GetValidationResult(value, context) is { ErrorMessage: { } message }) errors.Add(message);
        }
        if (section is IValidatableObject validatable)
            foreach (var result in validatable.Validate(new ValidationContext(section, path, null, null)))
                if (result.ErrorMessage is { } message) errors.Add(message);
    }
}
