using Degradation.Testing;
using System.Reflection;

namespace Degradation.Packaging.Tests;

/// <summary>
/// Public API tracking: each package's public surface is committed under api/&lt;Package&gt;.txt and any
/// difference fails. To accept an intended change: <c>UPDATE_API=1 dotnet test tests/Degradation.Packaging.Tests</c>.
/// </summary>
public class PublicApiTests
{
    public static TheoryData<string> Packages => new()
    {
        "Degradation.Core", "Degradation.Storage.File", "Degradation.Hosting", "Degradation.Polly",
        "Degradation.AspNetCore", "Degradation.Storage.Postgres",
    };

    [Theory]
    [MemberData(nameof(Packages))]
    public void Public_api_matches_the_committed_file(string package)
    {
        var assembly = Assembly.Load(package);
        var actual = PublicApiRenderer.Render(assembly);
        var path = Path.Combine(RepositoryPaths.Root, "api", package + ".txt");
        if (Environment.GetEnvironmentVariable("UPDATE_API") == "1")
        {
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            File.WriteAllText(path, actual);
            return;
        }
        Assert.True(File.Exists(path), $"{path} is missing. Run: UPDATE_API=1 dotnet test tests/Degradation.Packaging.Tests");
        var expected = File.ReadAllText(path).ReplaceLineEndings("\n");
        if (expected == actual) return;
        var expectedLines = expected.Split('\n').ToHashSet(StringComparer.Ordinal);
        var actualLines = actual.Split('\n').ToHashSet(StringComparer.Ordinal);
        var removed = expectedLines.Except(actualLines).Take(20).Select(l => "- " + l);
        var added = actualLines.Except(expectedLines).Take(20).Select(l => "+ " + l);
        Assert.Fail($"The public API of {package} changed. If intended, run: UPDATE_API=1 dotnet test tests/Degradation.Packaging.Tests\n"
            + string.Join("\n", removed.Concat(added)));
    }

    [Fact]
    public void Renderer_lists_signatures_of_the_gate()
    {
        var text = PublicApiRenderer.Render(typeof(ITradingGate).Assembly);
        Assert.Contains("interface Degradation.ITradingGate", text);
        Assert.Contains("public System.Boolean Allows(Degradation.ActionType action)", text);
        Assert.Contains("enum Degradation.SystemMode : System.Byte", text);
        Assert.Contains("Halt = 5", text);
    }
}
