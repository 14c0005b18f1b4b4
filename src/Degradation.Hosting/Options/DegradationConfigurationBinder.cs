using System.Collections;
using System.Globalization;
using System.Reflection;
using Degradation.Alerts;
using Degradation.Caching;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;

namespace Degradation.Hosting;

/// <summary>
/// Binds the <c>Degradation</c> configuration section onto <see cref="DegradationOptions"/>, after reading it the way an
/// operator means it: mode and action names in either form (<c>safe_mode</c> or <c>SafeMode</c>, any case, as keys and
/// as values, through <see cref="WireNames"/>); durations only as time spans (<c>"00:00:30"</c>; a plain number is
/// refused, because the binder would read <c>30</c> as thirty days); and a key of the old flat layout fails naming its
/// replacement. Every problem is collected and reported at once, each naming the full key path and the bad value.
/// </summary>
internal static class DegradationConfigurationBinder
{
    /// <summary>Reads <paramref name="configuration"/> onto <paramref name="options"/>.</summary>
    /// <exception cref="OptionsValidationException">The configuration has keys or values that cannot mean what the operator wrote.</exception>
    public static void Bind(IConfiguration configuration, string path, DegradationOptions options)
    {
        var values = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
        var errors = new List<string>();
        Walk(configuration, typeof(DegradationOptions), path, "", values, errors, topLevel: true);
        if (errors.Count > 0) throw new OptionsValidationException(Microsoft.Extensions.Options.Options.DefaultName, typeof(DegradationOptions), errors);
        var normalized = new ConfigurationBuilder().AddInMemoryCollection(values).Build();
        // Unknown keys were reported above; the binder's own check stays as a backstop.
        normalized.Bind(options, binder => binder.ErrorOnUnknownConfiguration = true);
    }

    private static void Walk(IConfiguration node, Type type, string path, string relative, Dictionary<string, string?> values, List<string> errors, bool topLevel = false)
    {
        foreach (var child in node.GetChildren())
        {
            var childPath = $"{path}:{child.Key}";
            var property = type.GetProperty(child.Key, BindingFlags.Public | BindingFlags.Instance | BindingFlags.IgnoreCase);
            if (property is null || property.SetMethod is not { IsPublic: true })
            {
                errors.Add(UnknownKey(type, path, child.Key, childPath, topLevel));
                continue;
            }
            Value(child, property.PropertyType, childPath, Join(relative, property.Name), values, errors);
        }
    }

    private static void Value(IConfigurationSection section, Type type, string path, string relative, Dictionary<string, string?> values, List<string> errors)
    {
        type = Nullable.GetUnderlyingType(type) ?? type;
        if (type == typeof(TimeSpan))
        {
            if (Leaf(section, path, errors) is { } text)
            {
                if (IsPlainNumber(text))
                    errors.Add($"{path} is a plain number ('{text}'); write a duration such as \"00:00:30\" (hh:mm:ss, or d.hh:mm:ss) — a bare number would be read as days.");
                else if (!TimeSpan.TryParse(text, CultureInfo.InvariantCulture, out _))
                    errors.Add($"{path} has '{text}', which is not a duration; write one such as \"00:00:30\" (hh:mm:ss, or d.hh:mm:ss).");
                else values[relative] = text;
            }
            return;
        }
        if (type.IsEnum)
        {
            if (Leaf(section, path, errors) is { } text && Enum(type, text, path, errors) is { } name) values[relative] = name;
            return;
        }
        if (type.IsGenericType && type.GetGenericTypeDefinition() is var definition && (definition == typeof(Dictionary<,>) || definition == typeof(IDictionary<,>)))
        {
            var (keyType, valueType) = (type.GetGenericArguments()[0], type.GetGenericArguments()[1]);
            foreach (var entry in section.GetChildren())
            {
                var key = entry.Key;
                if (keyType.IsEnum)
                {
                    if (Enum(keyType, entry.Key, $"{path}:{entry.Key}", errors) is not { } canonical) continue;
                    key = canonical;
                }
                Entry(entry, valueType, $"{path}:{entry.Key}", $"{relative}:{key}", values, errors, component: valueType == typeof(ComponentOptions));
            }
            return;
        }
        if (type.IsGenericType && type.GetInterfaces().Any(i => i.IsGenericType && i.GetGenericTypeDefinition() == typeof(ICollection<>)))
        {
            var itemType = type.GetGenericArguments()[0];
            foreach (var item in section.GetChildren())
                Value(item, itemType, $"{path}:{item.Key}", $"{relative}:{item.Key}", values, errors);
            return;
        }
        if (type.IsClass && type != typeof(string) && !typeof(IEnumerable).IsAssignableFrom(type))
        {
            if (section.Value is { Length: > 0 } scalar)
                errors.Add($"{path} is a section; it cannot have the value '{scalar}'.");
            Walk(section, type, path, relative, values, errors);
            return;
        }
        if (Leaf(section, path, errors) is not { } value) return;
        if (type.IsPrimitive || type == typeof(decimal))
        {
            try
            {
                _ = Convert.ChangeType(value, type, CultureInfo.InvariantCulture);
            }
            catch (Exception e) when (e is FormatException or OverflowException or InvalidCastException)
            {
                errors.Add($"{path} has '{value}', which is not {Describe(type)}.");
                return;
            }
        }
        values[relative] = value;
    }

    private static string Describe(Type type) =>
        type == typeof(bool) ? "true or false" : type == typeof(int) || type == typeof(long) ? "a whole number" : "a number";

    private static void Entry(IConfigurationSection entry, Type valueType, string path, string relative, Dictionary<string, string?> values, List<string> errors, bool component)
    {
        if (!component)
        {
            Value(entry, valueType, path, relative, values, errors);
            return;
        }
        foreach (var child in entry.GetChildren())
        {
            if (LegacyOptionKeys.Component.TryGetValue(child.Key, out var replacement))
            {
                errors.Add($"{path}:{child.Key} was replaced by {path}:{replacement} (a duration such as \"00:00:15\").");
                continue;
            }
            var property = valueType.GetProperty(child.Key, BindingFlags.Public | BindingFlags.Instance | BindingFlags.IgnoreCase);
            if (property is null) { errors.Add(UnknownKey(valueType, path, child.Key, $"{path}:{child.Key}", topLevel: false)); continue; }
            Value(child, property.PropertyType, $"{path}:{child.Key}", $"{relative}:{property.Name}", values, errors);
        }
    }

    private static string? Leaf(IConfigurationSection section, string path, List<string> errors)
    {
        if (section.GetChildren().Any())
        {
            errors.Add($"{path} takes a single value, not a section.");
            return null;
        }
        return section.Value;
    }

    /// <summary>The C# name of the enum value <paramref name="text"/> names, or null (with an error listing the valid names).</summary>
    private static string? Enum(Type type, string text, string path, List<string> errors)
    {
        if (type == typeof(SystemMode))
        {
            if (WireNames.TryParseMode(text, out var mode)) return mode.ToString();
            errors.Add($"{path} has unknown mode '{text}'; valid modes: {WireNames.ValidModes}.");
        }
        else if (type == typeof(ActionType))
        {
            if (WireNames.TryParseAction(text, out var action)) return action.ToString();
            errors.Add($"{path} has unknown action '{text}'; valid actions: {WireNames.ValidActions}.");
        }
        else if (type == typeof(RecoveryStage))
        {
            if (WireNames.TryParseStage(text, out var stage)) return stage.ToString();
            errors.Add($"{path} has unknown recovery stage '{text}'; valid stages: {WireNames.ValidStages}.");
        }
        else if (System.Enum.GetNames(type).FirstOrDefault(n => string.Equals(n, text, StringComparison.OrdinalIgnoreCase)) is { } name) return name;
        else errors.Add($"{path} has unknown value '{text}'; valid values: {string.Join(", ", System.Enum.GetNames(type))}.");
        return null;
    }

    private static string UnknownKey(Type type, string path, string key, string keyPath, bool topLevel)
    {
        if (topLevel && LegacyOptionKeys.TopLevel.TryGetValue(key, out var replacement))
        {
            var duration = key.EndsWith("Ms", StringComparison.OrdinalIgnoreCase) || key.EndsWith("Seconds", StringComparison.OrdinalIgnoreCase);
            return $"{keyPath} was replaced by {path}:{replacement}" + (duration ? " (a duration such as \"00:00:30\", no longer a number of milliseconds or seconds)." : ".");
        }
        if (topLevel && LegacyOptionKeys.Removed.TryGetValue(key, out var why))
            return $"{keyPath} was removed: {why}.";
        var known = type.GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(p => p.SetMethod is { IsPublic: true }).Select(p => p.Name);
        return $"{keyPath} is not an option; the keys under {path} are: {string.Join(", ", known)}.";
    }

    private static bool IsPlainNumber(string text) =>
        double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out _) && !text.Contains(':', StringComparison.Ordinal);

    private static string Join(string relative, string key) => relative.Length == 0 ? key : $"{relative}:{key}";
}
