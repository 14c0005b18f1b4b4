using Microsoft.Extensions.Options;

namespace Degradation.Hosting;

/// <summary>
/// Validates bound <see cref="DegradationOptions"/> at host start (<c>ValidateOnStart</c>), so a bad
/// <c>appsettings.json</c> stops the host with a message naming the configuration key.
/// </summary>
internal sealed class DegradationOptionsValidator(string sectionPath) : IValidateOptions<DegradationOptions>
{
    public ValidateOptionsResult Validate(string? name, DegradationOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var errors = options.Validate();
        if (errors.Count == 0) return ValidateOptionsResult.Success;
        var prefix = string.IsNullOrEmpty(sectionPath) ? "" : sectionPath + ":";
        return ValidateOptionsResult.Fail(errors.Select(e => prefix + e));
    }
}
