using Degradation.Packaging.Tests.Snippets;
using Degradation.Testing;
using Xunit.Abstractions;

namespace Degradation.Packaging.Tests;

/// <summary>
/// Every ```csharp block of README.md, src/*/README.md and docs/*.md, compiled in one consumer project against the
/// packed packages (docs/SNIPPETS.md has the rules), and the README's host quick start run as written until it logs
/// <c>recovering/ready -&gt; normal</c>.
/// </summary>
[Collection(PackedFeedCollection.Name)]
public class DocumentationSnippetTests(PackedFeed packed, ITestOutputHelper output)
{
    private static readonly Lock BuildLock = new();
    private static string? builtFor;

    [Fact]
    public void Every_csharp_block_in_the_docs_compiles_against_the_packed_packages()
    {
        var snippets = MarkdownSnippets.ReadAll(RepositoryPaths.Root);
        output.WriteLine($"{snippets.Count} C# blocks ({snippets.Count(s => s.IsFragment)} fragments):");
        foreach (var s in snippets) output.WriteLine($"  {s.Id,-40} {s.Location}{(s.IsFragment ? " (fragment)" : "")}");
        Build();
    }

    [Fact]
    public void The_readme_host_quick_start_reaches_Normal_as_written()
    {
        var project = Build();
        var cwd = Directory.CreateDirectory(Path.Combine(packed.Work, "host-quick-start")).FullName;
        var (ready, exitCode, text) = ProcessRunner.RunUntil(
            "dotnet", $"\"{Path.Combine(project, "bin", "Release", "net10.0", "Snippets.dll")}\" host-quick-start", cwd,
            o => o.Contains("recovering/ready -> normal", StringComparison.Ordinal), TimeSpan.FromMinutes(3));
        output.WriteLine(text);

        Assert.True(ready, "the host quick start did not reach Normal:\n" + text);
        Assert.Contains("Degradation system starting in recovering/connect_broker", text);
        Assert.Contains("passed stage verify_risk -> ready", text);
        Assert.DoesNotContain("has no probe registered", text);
        // SIGTERM stops it as a service manager would: cleanly, still in Normal.
        Assert.Contains("Degradation system stopped in Normal", text);
        Assert.Equal(0, exitCode);
    }

    /// <summary>Writes, restores and builds the snippet project once per packed feed; returns its folder.</summary>
    private string Build()
    {
        var project = Path.Combine(packed.Work, "snippets");
        lock (BuildLock)
        {
            if (builtFor == packed.Work) return project;
            var snippets = MarkdownSnippets.ReadAll(RepositoryPaths.Root);
            packed.WriteNuGetConfig(project);
            SnippetProject.Write(project, snippets, PackedFeed.Packages);
            packed.Run("dotnet", $"restore --packages \"{packed.PackagesFolder}\"", project, TimeSpan.FromMinutes(15));
            var (code, text) = ProcessRunner.Run("dotnet", "build --no-restore -c Release -nologo -clp:ErrorsOnly", project, TimeSpan.FromMinutes(15));
            Assert.True(code == 0, $"the documentation's C# blocks do not compile against the packed packages (errors name the markdown file and line):\n{text}");
            builtFor = packed.Work;
            return project;
        }
    }
}
