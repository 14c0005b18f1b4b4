using System.Reflection;
using System.Runtime.CompilerServices;
using System.Text;

namespace Degradation.Packaging.Tests;

/// <summary>Renders an assembly's public surface (types, members, signatures) as stable, sorted text.</summary>
internal static class PublicApiRenderer
{
    private const BindingFlags Declared = BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly;

    public static string Render(Assembly assembly)
    {
        var sb = new StringBuilder();
        foreach (var type in assembly.GetExportedTypes().OrderBy(t => t.FullName, StringComparer.Ordinal))
        {
            sb.AppendLine(TypeHeader(type));
            foreach (var line in Members(type).Distinct().Order(StringComparer.Ordinal)) sb.Append("  ").AppendLine(line);
        }
        return sb.ToString().ReplaceLineEndings("\n");
    }

    private static string TypeHeader(Type type)
    {
        string kind;
        if (type.IsEnum) kind = "enum";
        else if (type.IsInterface) kind = "interface";
        else if (type.IsValueType) kind = (type.IsDefined(typeof(IsReadOnlyAttribute)) ? "readonly " : "") + "struct";
        else if (typeof(Delegate).IsAssignableFrom(type)) kind = "delegate";
        else if (type.IsAbstract && type.IsSealed) kind = "static class";
        else kind = (type.IsAbstract ? "abstract " : type.IsSealed ? "sealed " : "") + "class";
        var bases = new List<string>();
        if (type.IsEnum) bases.Add(Name(Enum.GetUnderlyingType(type)));
        else if (type.BaseType is { } b && b != typeof(object) && b != typeof(ValueType) && !type.IsInterface) bases.Add(Name(b));
        if (!type.IsEnum)
            bases.AddRange(type.GetInterfaces().Where(i => i.IsPublic || i.IsNestedPublic).Select(Name).Order(StringComparer.Ordinal));
        return $"{kind} {Name(type)}{(bases.Count > 0 ? " : " + string.Join(", ", bases) : "")}";
    }

    private static IEnumerable<string> Members(Type type)
    {
        if (type.IsEnum)
        {
            foreach (var field in type.GetFields(BindingFlags.Public | BindingFlags.Static))
                yield return $"{field.Name} = {Convert.ToInt64(field.GetRawConstantValue(), System.Globalization.CultureInfo.InvariantCulture)}";
            yield break;
        }
        if (typeof(Delegate).IsAssignableFrom(type))
        {
            var invoke = type.GetMethod("Invoke")!;
            yield return $"{Name(invoke.ReturnType)} Invoke({Parameters(invoke)})";
            yield break;
        }
        foreach (var member in type.GetMembers(Declared))
        {
            switch (member)
            {
                case ConstructorInfo c when Visible(c):
                    yield return $"{Access(c)}{(c.IsStatic ? "static " : "")}.ctor({Parameters(c)})";
                    break;
                // Accessors are rendered with their property/event; operators are kept.
                case MethodInfo m when Visible(m) && (!m.IsSpecialName || m.Name.StartsWith("op_", StringComparison.Ordinal)):
                    var generic = m.IsGenericMethodDefinition ? "<" + string.Join(", ", m.GetGenericArguments().Select(a => a.Name)) + ">" : "";
                    yield return $"{Access(m)}{Modifiers(m)}{Name(m.ReturnType)} {m.Name}{generic}({Parameters(m)})";
                    break;
                case PropertyInfo p:
                    var getter = p.GetMethod is { } g && Visible(g) ? g : null;
                    var setter = p.SetMethod is { } s && Visible(s) ? s : null;
                    if (getter is null && setter is null) break;
                    var accessor = getter ?? setter!;
                    var init = setter?.ReturnParameter.GetRequiredCustomModifiers().Any(t => t.Name == "IsExternalInit") == true ? "init; " : setter is not null ? "set; " : "";
                    var index = p.GetIndexParameters();
                    var name = index.Length > 0 ? $"this[{string.Join(", ", index.Select(i => Name(i.ParameterType) + " " + i.Name))}]" : p.Name;
                    var required = p.IsDefined(typeof(RequiredMemberAttribute)) ? "required " : "";
                    yield return $"{Access(accessor)}{required}{Modifiers(accessor)}{Name(p.PropertyType)} {name} {{ {(getter is not null ? "get; " : "")}{init}}}";
                    break;
                case FieldInfo f when f.IsPublic || f.IsFamily || f.IsFamilyOrAssembly:
                    if (f.IsLiteral) yield return $"{Access(f)}const {Name(f.FieldType)} {f.Name} = {f.GetRawConstantValue()}";
                    else yield return $"{Access(f)}{(f.IsStatic ? "static " : "")}{(f.IsInitOnly ? "readonly " : "")}{Name(f.FieldType)} {f.Name}";
                    break;
                case EventInfo e when e.AddMethod is { } add && Visible(add):
                    yield return $"{Access(add)}{Modifiers(add)}event {Name(e.EventHandlerType!)} {e.Name}";
                    break;
                case Type nested when nested.IsNestedPublic:
                    break; // rendered as its own exported type
            }
        }
    }

    private static bool Visible(MethodBase m) => m.IsPublic || m.IsFamily || m.IsFamilyOrAssembly;

    private static string Access(MethodBase m) => m.IsPublic ? "public " : "protected ";

    private static string Access(FieldInfo f) => f.IsPublic ? "public " : "protected ";

    private static string Modifiers(MethodInfo m)
    {
        if (m.DeclaringType!.IsInterface) return m.IsStatic ? "static " : "";
        if (m.IsStatic) return "static ";
        if (m.IsAbstract) return "abstract ";
        if (m.IsVirtual && !m.IsFinal) return m.GetBaseDefinition() != m ? "override " : "virtual ";
        if (m.IsVirtual && m.GetBaseDefinition() != m) return "sealed override ";
        return "";
    }

    private static string Parameters(MethodBase m) => string.Join(", ", m.GetParameters().Select(p =>
    {
        var type = p.ParameterType;
        var prefix = "";
        if (type.IsByRef)
        {
            type = type.GetElementType()!;
            prefix = p.IsIn ? "in " : p.IsOut ? "out " : "ref ";
        }
        if (p.IsDefined(typeof(ParamArrayAttribute))) prefix = "params " + prefix;
        var defaultValue = p.HasDefaultValue ? " = " + (p.DefaultValue is null ? (type.IsValueType ? "default" : "null") : p.DefaultValue is string s ? "\"" + s + "\"" : Convert.ToString(p.DefaultValue, System.Globalization.CultureInfo.InvariantCulture)) : "";
        return $"{prefix}{Name(type)} {p.Name}{defaultValue}";
    }));

    private static string Name(Type type)
    {
        if (type.IsGenericParameter) return type.Name;
        if (type.IsArray) return Name(type.GetElementType()!) + "[" + new string(',', type.GetArrayRank() - 1) + "]";
        if (type.IsByRef) return Name(type.GetElementType()!) + "&";
        if (Nullable.GetUnderlyingType(type) is { } underlying) return Name(underlying) + "?";
        var name = type.IsNested ? Name(type.DeclaringType!) + "." + type.Name : type.Namespace + "." + type.Name;
        if (!type.IsGenericType) return name;
        var tick = name.IndexOf('`', StringComparison.Ordinal);
        if (tick >= 0) name = name[..tick];
        return name + "<" + string.Join(", ", type.GetGenericArguments().Select(Name)) + ">";
    }
}
