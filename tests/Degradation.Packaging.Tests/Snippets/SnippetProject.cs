using System.Text;

namespace Degradation.Packaging.Tests.Snippets;

/// <summary>
/// Writes one consumer project holding every snippet (one file each, wrapped by <see cref="SnippetSource"/>) that
/// references the packed packages, plus a Program.cs that runs a snippet by id: <c>Snippets &lt;id&gt; [args]</c>.
/// </summary>
public static class SnippetProject
{
    /// <summary>
    /// Warnings that only the wrapping produces (a fragment's unused local or local function, an async method
    /// with nothing to await, code after a snippet's <c>return</c>); every other warning is an error.
    /// </summary>
    public const string WrappingWarnings = "CS0162;CS0168;CS0219;CS1998;CS8321";

    /// <summary>Writes the project (without nuget.config) into <paramref name="directory"/>.</summary>
    public static void Write(string directory, IReadOnlyList<CodeSnippet> snippets, IEnumerable<string> packages)
    {
        Directory.CreateDirectory(directory);
        var references = string.Join("\n", packages.Select(p => $"""    <PackageReference Include="{p}" Version="0.1.0" />"""));
        File.WriteAllText(Path.Combine(directory, "Snippets.csproj"), $"""
            <Project Sdk="Microsoft.NET.Sdk">
              <PropertyGroup>
                <OutputType>Exe</OutputType>
                <TargetFramework>net10.0</TargetFramework>
                <Nullable>enable</Nullable>
                <ImplicitUsings>enable</ImplicitUsings>
                <TreatWarningsAsErrors>true</TreatWarningsAsErrors>
                <NoWarn>$(NoWarn);{WrappingWarnings}</NoWarn>
              </PropertyGroup>
              <ItemGroup>
            {references}
                <PackageReference Include="Microsoft.Extensions.Hosting" Version="10.0.14" />
              </ItemGroup>
            </Project>
            """);

        var ids = new HashSet<string>(StringComparer.Ordinal);
        var program = new StringBuilder("""
            var snippets = new Dictionary<string, Func<string[], Task>>(StringComparer.Ordinal)
            {

            """);
        for (var i = 0; i < snippets.Count; i++)
        {
            var snippet = snippets[i];
            if (!ids.Add(snippet.Id)) throw new InvalidOperationException($"{snippet.Location}: snippet id '{snippet.Id}' is used twice");
            var ns = $"Snippets.S{i + 1:000}";
            File.WriteAllText(Path.Combine(directory, $"S{i + 1:000}.cs"), SnippetSource.Wrap(snippet, ns));
            program.AppendLine($"    [\"{snippet.Id}\"] = global::{ns}.Snippet.RunAsync,");
        }
        program.Append("""
            };
            if (args.Length == 0 || !snippets.TryGetValue(args[0], out var run))
            {
                Console.Error.WriteLine("usage: Snippets <id> [args]; ids: " + string.Join(", ", snippets.Keys));
                return 2;
            }
            await run(args[1..]);
            return 0;

            """);
        File.WriteAllText(Path.Combine(directory, "Program.cs"), program.ToString());
    }
}
