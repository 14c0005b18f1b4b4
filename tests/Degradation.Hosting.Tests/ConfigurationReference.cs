using System.Collections;
using System.ComponentModel.DataAnnotations;
using System.Globalization;
using System.Reflection;
using System.Text;
using System.Xml.Linq;
using Degradation.Alerts;
using Degradation.Features;
using Degradation.Hosting;

namespace Degradation.Tests;

/// <summary>
/// Renders docs/CONFIGURATION.md from the options types themselves: every bindable key under the
/// <c>Degradation</c> section, section by section, with its type, default, the rule its validation attributes apply and
/// the property's XML documentation, and the table of keys the old flat layout used.
/// </summary>
internal static class ConfigurationReference
{
    public static string Render()
    {
        var docs = XmlDocs.Load(typeof(DegradationOptions).Assembly);
        var sb = new StringBuilder();
        var root = DegradationOptions.SectionName;
        sb.AppendLine("# Configuration reference");
        sb.AppendLine();
        sb.AppendLine("<!-- Generated from the options types by tests/Degradation.Hosting.Tests (ConfigurationReferenceTests).");
        sb.AppendLine("     Do not edit by hand: run `UPDATE_DOCS=1 dotnet test tests/Degradation.Hosting.Tests --filter ConfigurationReference`. -->");
        sb.AppendLine();
        sb.AppendLine($"Every key lives under the `{root}` section, grouped by concern (`{root}:Recovery:StageTimeout` in configuration,");
        sb.AppendLine($"`{root}__Recovery__StageTimeout` as an environment variable). Values are checked once at start; a bad value stops the");
        sb.AppendLine("host with a message naming the full key path and the value, and the system runs on a frozen copy of the options.");
        sb.AppendLine("An example: [appsettings.example.json](appsettings.example.json).");
        sb.AppendLine();
        sb.AppendLine("- **Durations** are time spans: `\"00:00:30\"` (hh:mm:ss), `\"00:00:00.250\"`, `\"1.00:00:00\"` (one day). A plain");
        sb.AppendLine("  number is refused, naming the key: the binder would read `30` as thirty days.");
        sb.AppendLine("- **Modes and actions** are accepted as wire names or C# names, in any case: `safe_mode`, `SafeMode` and `SAFE_MODE`");
        sb.AppendLine("  are the same mode, as keys (`TradingLimits:safe_mode`) and as values (`DecisionMatrix`). Responses and logs use the");
        sb.AppendLine("  wire names. An unknown name stops the host listing the valid ones.");
        sb.AppendLine("- **Unknown keys** stop the host, and so do the keys of the old flat layout; see [Replaced keys](#replaced-keys).");
        foreach (var section in Sections())
        {
            sb.AppendLine();
            sb.AppendLine($"## {section.Name}");
            sb.AppendLine();
            sb.AppendLine(docs.Summary(section.Type));
            sb.AppendLine();
            sb.AppendLine("| key | type | default | validation | meaning |");
            sb.AppendLine("|---|---|---|---|---|");
            var instance = section.Property.GetValue(new DegradationOptions());
            foreach (var property in Bindable(section.Type))
                sb.AppendLine($"| `{root}:{section.Name}:{property.Name}` | {TypeName(property.PropertyType)} | {Value(property.GetValue(instance))} | {Cell(Rule(property))} | {Cell(docs.Summary(property))} |");
        }
        sb.AppendLine();
        sb.AppendLine("## Rules, components and limits");
        sb.AppendLine();
        sb.AppendLine("| key | type | default | meaning |");
        sb.AppendLine("|---|---|---|---|");
        var defaults = new DegradationOptions();
        foreach (var property in Bindable(typeof(DegradationOptions)).Where(p => !typeof(OptionsSection).IsAssignableFrom(p.PropertyType)))
            sb.AppendLine($"| `{root}:{property.Name}` | {TypeName(property.PropertyType)} | {Value(property.GetValue(defaults))} | {Cell(docs.Summary(property))} |");
        foreach (var nested in NestedTypes())
        {
            sb.AppendLine();
            sb.AppendLine($"### {nested.Heading}");
            sb.AppendLine();
            sb.AppendLine(nested.Text);
            sb.AppendLine();
            sb.AppendLine("| key | type | default | meaning |");
            sb.AppendLine("|---|---|---|---|");
            var instance = Activator.CreateInstance(nested.Type);
            foreach (var property in Bindable(nested.Type))
                sb.AppendLine($"| `{nested.Prefix}:{property.Name}` | {TypeName(property.PropertyType)} | {Value(property.GetValue(instance))} | {Cell(docs.Summary(property))} |");
        }
        sb.AppendLine();
        sb.AppendLine("## Replaced keys");
        sb.AppendLine();
        sb.AppendLine("Keys of the old flat layout (durations as `…Ms` or `…Seconds` numbers). A configuration that still uses one stops the");
        sb.AppendLine("host at start with a message naming the key and its replacement; write the new key with a time span.");
        sb.AppendLine();
        sb.AppendLine("| old key | replaced by |");
        sb.AppendLine("|---|---|");
        foreach (var (old, replacement) in LegacyOptionKeys.TopLevel.OrderBy(k => k.Key, StringComparer.Ordinal))
            sb.AppendLine($"| `{root}:{old}` | `{root}:{replacement}` |");
        foreach (var (old, replacement) in LegacyOptionKeys.Component)
            sb.AppendLine($"| `{root}:Components:{{name}}:{old}` | `{root}:Components:{{name}}:{replacement}` |");
        foreach (var (old, why) in LegacyOptionKeys.Removed.OrderBy(k => k.Key, StringComparer.Ordinal))
            sb.AppendLine($"| `{root}:{old}` | removed: {Cell(why)} |");
        return sb.ToString().Replace("\r\n", "\n", StringComparison.Ordinal);
    }

    /// <summary>The sections of <see cref="DegradationOptions"/>, in declaration order.</summary>
    public static IEnumerable<(string Name, PropertyInfo Property, Type Type)> Sections() =>
        Bindable(typeof(DegradationOptions)).Where(p => typeof(OptionsSection).IsAssignableFrom(p.PropertyType)).Select(p => (p.Name, p, p.PropertyType));

    private static IEnumerable<(string Heading, string Text, string Prefix, Type Type)> NestedTypes()
    {
        yield return ("Components", "One entry per component name (`broker`, `market_data`, `risk`, or your own).", "Degradation:Components:{name}", typeof(ComponentOptions));
        yield return ("Trading limits", "One entry per mode name (`degraded`, `safe_mode`, ...): limits the gate hands out with an allowed decision.", "Degradation:TradingLimits:{mode}", typeof(TradingLimits));
        yield return ("Alert channel routes", "One entry per rule, in a list: alerts for an audience at a severity or above go to a named channel.", "Degradation:AlertChannels:Routes:{index}", typeof(AlertChannelRoute));
    }

    /// <summary>The rule the property's validation attributes apply.</summary>
    private static string Rule(PropertyInfo property)
    {
        var rules = new List<string>();
        foreach (var attribute in property.GetCustomAttributes<ValidationAttribute>())
        {
            rules.Add(attribute switch
            {
                ValidDurationAttribute d => $"{(d.AllowZero ? ">= 0" : "> 0")}, at most {Value(ValidDurationAttribute.Maximum)}",
                MinimumAttribute m => $">= {m.Minimum.ToString(CultureInfo.InvariantCulture)}",
                _ => attribute.GetType().Name,
            });
        }
        if (property.DeclaringType == typeof(RecoveryOptions) && property.Name == nameof(RecoveryOptions.BackoffMax)) rules.Add("not below `BackoffBase`");
        if (property.DeclaringType == typeof(RecoveryOptions) && property.Name == nameof(RecoveryOptions.BackoffSchedule)) rules.Add($"each > 0; at most {RecoveryOptions.MaxScheduleLength} delays");
        if (property.DeclaringType == typeof(OperatorOptions) && property.Name == nameof(OperatorOptions.MaxOverrideTtl)) rules.Add("not below `MinOverrideTtl`");
        if (property.DeclaringType == typeof(FeatureLevelOptions) && property.Name == nameof(FeatureLevelOptions.ModeLevels)) rules.Add("a level for every mode; a stricter mode not milder");
        if (property.DeclaringType == typeof(AlertChannelOptions) && property.Name == nameof(AlertChannelOptions.AcknowledgementSla)) rules.Add($"each > 0, at most {Value(AlertChannelOptions.MaxAcknowledgementSla)}");
        if (property.DeclaringType == typeof(AlertChannelOptions) && property.Name == nameof(AlertChannelOptions.Routes)) rules.Add("each names a channel");
        return string.Join("; ", rules);
    }

    private static IEnumerable<PropertyInfo> Bindable(Type type) =>
        type.GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(p => p.CanWrite && p.SetMethod!.IsPublic);

    private static string TypeName(Type type)
    {
        if (Nullable.GetUnderlyingType(type) is { } inner) return TypeName(inner) + "?";
        if (type.IsEnum) return $"enum ({string.Join(", ", Enum.GetNames(type))})";
        if (type.IsGenericType)
        {
            var args = type.GetGenericArguments().Select(TypeName);
            var name = type.Name[..type.Name.IndexOf('`', StringComparison.Ordinal)];
            return name switch
            {
                "Dictionary" or "IDictionary" => $"map of {string.Join(" → ", args)}",
                "HashSet" or "ISet" or "List" or "IList" => $"list of {args.Single()}",
                _ => $"{name}<{string.Join(", ", args)}>",
            };
        }
        return type == typeof(TimeSpan) ? "duration" : type == typeof(int) ? "int" : type == typeof(long) ? "long" : type == typeof(double) ? "number"
            : type == typeof(bool) ? "bool" : type == typeof(string) ? "string" : type.Name;
    }

    private static string Value(object? value) => value switch
    {
        null => "—",
        string s => $"`{s}`",
        bool b => b ? "`true`" : "`false`",
        TimeSpan t => $"`{t.ToString("c", CultureInfo.InvariantCulture)}`",
        IFormattable f when value is not Enum => $"`{f.ToString(null, CultureInfo.InvariantCulture)}`",
        IDictionary { Count: 0 } => "empty",
        IDictionary d => string.Join("; ", d.Keys.Cast<object>().Select(k => $"`{k}` → {Describe(d[k])}")),
        // Any list or set (a HashSet<T> is no ICollection, so match the enumerable).
        IEnumerable e when !e.Cast<object>().Any() => "empty",
        IEnumerable e => string.Join(", ", e.Cast<object>().Select(v => $"`{v}`")),
        _ when value.GetType().Name.EndsWith("Options", StringComparison.Ordinal) => "a section (see below)",
        _ => $"`{value}`",
    };

    private static string Describe(object? value) => value is null ? "—"
        : value is Enum or IFormattable ? $"`{(value is IFormattable f ? f.ToString(null, CultureInfo.InvariantCulture) : value)}`"
        : string.Join(", ", Bindable(value.GetType()).Select(p => (p.Name, v: p.GetValue(value))).Where(p => p.v is not null).Select(p => $"{p.Name} {p.v}"));

    private static string Cell(string text) => text.Replace("|", "\\|", StringComparison.Ordinal).Replace("\n", " ", StringComparison.Ordinal);

    /// <summary>The summaries of an assembly's XML documentation file, as plain text.</summary>
    internal sealed class XmlDocs(Dictionary<string, string> summaries)
    {
        public static XmlDocs Load(Assembly assembly)
        {
            var path = Path.ChangeExtension(assembly.Location, ".xml");
            var summaries = new Dictionary<string, string>(StringComparer.Ordinal);
            if (!File.Exists(path)) throw new FileNotFoundException($"The XML documentation of {assembly.GetName().Name} is missing", path);
            foreach (var member in XDocument.Load(path).Descendants("member"))
            {
                var summary = member.Element("summary");
                if (summary is null) continue;
                var text = string.Concat(summary.Nodes().Select(Plain));
                summaries[(string)member.Attribute("name")!] = string.Join(" ", text.Split((char[])[' ', '\n', '\r', '\t'], StringSplitOptions.RemoveEmptyEntries));
            }
            return new XmlDocs(summaries);
        }

        public string Summary(PropertyInfo property) =>
            summaries.GetValueOrDefault($"P:{property.DeclaringType!.FullName}.{property.Name}", "");

        public string Summary(Type type) => summaries.GetValueOrDefault($"T:{type.FullName}", "");

        private static string Plain(XNode node) => node switch
        {
            XText text => text.Value,
            XElement { Name.LocalName: "see" or "seealso" } e => "`" + Short((string?)e.Attribute("cref") ?? (string?)e.Attribute("langword") ?? e.Value) + "`",
            XElement { Name.LocalName: "c" or "paramref" or "typeparamref" } e => "`" + ((string?)e.Attribute("name") ?? e.Value) + "`",
            XElement e => string.Concat(e.Nodes().Select(Plain)),
            _ => "",
        };

        /// <summary>
        /// A cref as a reader names it: a type by its simple name (<c>T:Degradation.Health.IComponentFallback</c> →
        /// <c>IComponentFallback</c>), a member with its type (<c>P:Degradation.RecoveryOptions.BackoffBase</c> →
        /// <c>RecoveryOptions.BackoffBase</c>); generic arity and parameter lists dropped. Namespaces never show: they
        /// cannot be told from type names by their case.
        /// </summary>
        internal static string Short(string cref)
        {
            var kind = cref.Length > 1 && cref[1] == ':' ? cref[0] : 'T';
            var name = cref.Length > 1 && cref[1] == ':' ? cref[2..] : cref;
            var parts = name.Split('(')[0].Split('.').Select(p => p.Split('`')[0]).ToArray();
            return kind == 'T' || parts.Length < 2 ? parts[^1] : $"{parts[^2]}.{parts[^1]}";
        }
    }
}
