using System.Collections;
using System.Globalization;
using System.Reflection;
using System.Text;
using System.Xml.Linq;
using Degradation.Alerts;
using Degradation.Features;

namespace Degradation.Tests;

/// <summary>
/// Renders docs/CONFIGURATION.md from the options types themselves: every bindable key under the
/// <c>Degradation</c> section with its type, default, unit, the rule <see cref="DegradationOptions.Validate"/>
/// applies (found by trying values the rule refuses) and the property's XML documentation.
/// </summary>
internal static class ConfigurationReference
{
    public static string Render()
    {
        var docs = XmlDocs.Load(typeof(DegradationOptions).Assembly);
        var sb = new StringBuilder();
        sb.AppendLine("# Configuration reference");
        sb.AppendLine();
        sb.AppendLine("<!-- Generated from the options types by tests/Degradation.Hosting.Tests (ConfigurationReferenceTests).");
        sb.AppendLine("     Do not edit by hand: run `UPDATE_DOCS=1 dotnet test tests/Degradation.Hosting.Tests --filter ConfigurationReference`. -->");
        sb.AppendLine();
        sb.AppendLine($"Every key lives under the `{DegradationOptions.SectionName}` section (`{DegradationOptions.SectionName}:Key` in configuration,");
        sb.AppendLine($"`{DegradationOptions.SectionName}__Key` as an environment variable). Values are checked once at start; a bad value stops the");
        sb.AppendLine("host with a message naming the key and the value. Units come from the key's suffix (`…Ms` milliseconds,");
        sb.AppendLine("`…Seconds` seconds, `…Bytes` bytes). An example: [appsettings.example.json](appsettings.example.json).");
        sb.AppendLine();
        sb.AppendLine("| key | type | default | unit | validation | meaning |");
        sb.AppendLine("|---|---|---|---|---|---|");
        var defaults = new DegradationOptions();
        foreach (var property in Bindable(typeof(DegradationOptions)))
        {
            var key = $"{DegradationOptions.SectionName}:{property.Name}";
            sb.AppendLine(Row(key, property, property.GetValue(defaults), Rule(property), docs.Summary(property)));
        }
        foreach (var nested in NestedTypes())
        {
            sb.AppendLine();
            sb.AppendLine($"## {nested.Heading}");
            sb.AppendLine();
            sb.AppendLine(nested.Text);
            sb.AppendLine();
            sb.AppendLine("| key | type | default | unit | meaning |");
            sb.AppendLine("|---|---|---|---|---|");
            var instance = Activator.CreateInstance(nested.Type);
            foreach (var property in Bindable(nested.Type))
            {
                var key = $"{nested.Prefix}:{property.Name}";
                sb.AppendLine($"| `{key}` | {TypeName(property.PropertyType)} | {Value(property.GetValue(instance))} | {Unit(property.Name)} | {Cell(docs.Summary(property))} |");
            }
        }
        return sb.ToString().Replace("\r\n", "\n", StringComparison.Ordinal);
    }

    private static IEnumerable<(string Heading, string Text, string Prefix, Type Type)> NestedTypes()
    {
        yield return ("Components", "One entry per component name (`broker`, `market_data`, `risk`, or your own).", "Degradation:Components:{name}", typeof(ComponentOptions));
        yield return ("Trading limits", "One entry per mode name (`Degraded`, ...): limits the gate hands out with an allowed decision.", "Degradation:TradingLimits:{mode}", typeof(TradingLimits));
        yield return ("Feature levels", "How the trading mode and critical failures drive the feature degradation level (`FeatureLevelDriver`).", "Degradation:FeatureLevels", typeof(FeatureLevelOptions));
        yield return ("Alert channels", "Channel routes, acknowledgement deadlines per severity (`hh:mm:ss`) and the escalation channel of the alert router.", "Degradation:AlertChannels", typeof(AlertChannelOptions));
        yield return ("Alert channel routes", "One entry per rule, in a list: alerts for an audience at a severity or above go to a named channel.", "Degradation:AlertChannels:Routes:{index}", typeof(AlertChannelRoute));
    }

    private static IEnumerable<PropertyInfo> Bindable(Type type) =>
        type.GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(p => p.CanWrite && p.SetMethod!.IsPublic);

    private static string Row(string key, PropertyInfo property, object? value, string rule, string summary) =>
        $"| `{key}` | {TypeName(property.PropertyType)} | {Value(value)} | {Unit(property.Name)} | {Cell(rule)} | {Cell(summary)} |";

    /// <summary>The message Validate gives for the first probe value it refuses, with the probed value replaced by its rule.</summary>
    private static string Rule(PropertyInfo property)
    {
        object[] probes = property.PropertyType switch
        {
            var t when t == typeof(int) => [0, -1],
            var t when t == typeof(long) => [0L, -1L],
            var t when t == typeof(double) => [0d, -1d, double.NaN],
            var t when t == typeof(TimeSpan) => [TimeSpan.Zero, TimeSpan.FromSeconds(-1)],
            _ => [],
        };
        var refused = new List<string>();
        foreach (var probe in probes)
        {
            var options = new DegradationOptions();
            property.SetValue(options, probe);
            if (options.Validate().Any(e => e.Contains(property.Name, StringComparison.Ordinal)))
                refused.Add(Value(probe));
        }
        if (probes.Length == 0) return "";
        return refused.Count == 0 ? "any value" : "refuses " + string.Join(", ", refused);
    }

    private static string Unit(string name) => name switch
    {
        _ when name.EndsWith("Ms", StringComparison.Ordinal) => "ms",
        _ when name.EndsWith("Seconds", StringComparison.Ordinal) => "s",
        _ when name.EndsWith("Bytes", StringComparison.Ordinal) => "bytes",
        _ => "",
    };

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
                "Dictionary" => $"map of {string.Join(" → ", args)}",
                "HashSet" or "List" => $"list of {args.Single()}",
                _ => $"{name}<{string.Join(", ", args)}>",
            };
        }
        return type == typeof(int) ? "int" : type == typeof(long) ? "long" : type == typeof(double) ? "number"
            : type == typeof(bool) ? "bool" : type == typeof(string) ? "string" : type.Name;
    }

    private static string Value(object? value) => value switch
    {
        null => "—",
        string s => $"`{s}`",
        bool b => b ? "`true`" : "`false`",
        IFormattable f when value is not Enum => $"`{f.ToString(null, CultureInfo.InvariantCulture)}`",
        IDictionary { Count: 0 } or ICollection { Count: 0 } => "empty",
        IDictionary d => string.Join("; ", d.Keys.Cast<object>().Select(k => $"`{k}` → {Describe(d[k])}")),
        ICollection c => string.Join(", ", c.Cast<object>().Select(v => $"`{v}`")),
        _ when value.GetType().Name.EndsWith("Options", StringComparison.Ordinal) => "a section (see below)",
        _ => $"`{value}`",
    };

    private static string Describe(object? value) => value is null ? "—"
        : value is Enum or IFormattable ? $"`{(value is IFormattable f ? f.ToString(null, CultureInfo.InvariantCulture) : value)}`"
        : string.Join(", ", Bindable(value.GetType()).Select(p => (p.Name, v: p.GetValue(value))).Where(p => p.v is not null).Select(p => $"{p.Name} {p.v}"));

    private static string Cell(string text) => text.Replace("|", "\\|", StringComparison.Ordinal).Replace("\n", " ", StringComparison.Ordinal);

    /// <summary>The summaries of an assembly's XML documentation file, as plain text.</summary>
    private sealed class XmlDocs(Dictionary<string, string> summaries)
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

        private static string Plain(XNode node) => node switch
        {
            XText text => text.Value,
            XElement { Name.LocalName: "see" or "seealso" } e => "`" + Short((string?)e.Attribute("cref") ?? (string?)e.Attribute("langword") ?? e.Value) + "`",
            XElement { Name.LocalName: "c" or "paramref" or "typeparamref" } e => "`" + ((string?)e.Attribute("name") ?? e.Value) + "`",
            XElement e => string.Concat(e.Nodes().Select(Plain)),
            _ => "",
        };

        private static string Short(string cref)
        {
            var name = cref.Contains(':', StringComparison.Ordinal) ? cref[(cref.IndexOf(':', StringComparison.Ordinal) + 1)..] : cref;
            var parts = name.Split('(')[0].Split('.');
            return parts.Length >= 2 && char.IsUpper(parts[^2][0]) && parts[^2] != "Degradation" ? $"{parts[^2]}.{parts[^1]}" : parts[^1];
        }
    }
}
