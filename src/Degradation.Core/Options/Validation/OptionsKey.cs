using System.ComponentModel.DataAnnotations;
using System.Globalization;

namespace Degradation;

/// <summary>Configuration key paths (<c>Degradation:Recovery:StageTimeout</c>) and value formatting for option errors.</summary>
internal static class OptionsKey
{
    /// <summary>
    /// The key path of the member being validated. The hosting package's source-generated validators name a member
    /// <c>section.Member</c>; configuration names it <c>section:Member</c>, which is what an operator searches for.
    /// </summary>
    public static string Of(ValidationContext context)
    {
        var name = context.DisplayName ?? context.MemberName ?? context.ObjectType.Name;
        return name.Replace('.', ':');
    }

    /// <summary>The key path of the object being validated (an <see cref="IValidatableObject"/>), with a trailing colon.</summary>
    public static string Prefix(ValidationContext context)
    {
        var name = context.DisplayName ?? "";
        // The generated validators call IValidatableObject.Validate with the display name "section.Validate".
        if (name.EndsWith(ValidateSuffix, StringComparison.Ordinal)) name = name[..^ValidateSuffix.Length];
        name = name.Replace('.', ':');
        return name.Length == 0 ? "" : name + ":";
    }

    private const string ValidateSuffix = ".Validate";

    public static string Format(object? value) => value switch
    {
        null => "null",
        TimeSpan t => t.ToString("c", CultureInfo.InvariantCulture),
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? "",
    };
}
