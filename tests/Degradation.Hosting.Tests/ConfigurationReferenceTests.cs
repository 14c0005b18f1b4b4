using Degradation.Testing;
namespace Degradation.Tests;

/// <summary>docs/CONFIGURATION.md is generated from the options types; it fails here when it is stale.</summary>
public sealed class ConfigurationReferenceTests
{
    [Fact]
    public void The_configuration_reference_in_docs_is_current()
    {
        var path = Path.Combine(RepositoryPaths.Root, "docs", "CONFIGURATION.md");
        var expected = ConfigurationReference.Render();
        if (Environment.GetEnvironmentVariable("UPDATE_DOCS") == "1")
        {
            File.WriteAllText(path, expected);
            return;
        }
        Assert.True(File.Exists(path), $"{path} is missing: run UPDATE_DOCS=1 dotnet test tests/Degradation.Hosting.Tests --filter ConfigurationReference");
        var actual = File.ReadAllText(path).Replace("\r\n", "\n", StringComparison.Ordinal);
        Assert.True(expected == actual,
            "docs/CONFIGURATION.md is stale (an option was added, removed or changed): run " +
            "UPDATE_DOCS=1 dotnet test tests/Degradation.Hosting.Tests --filter ConfigurationReference and commit the result.");
    }

    [Fact]
    public void Every_option_is_in_the_reference()
    {
        var text = ConfigurationReference.Render();
        foreach (var property in typeof(DegradationOptions).GetProperties().Where(p => p.CanWrite && !typeof(OptionsSection).IsAssignableFrom(p.PropertyType)))
            Assert.Contains($"`Degradation:{property.Name}`", text, StringComparison.Ordinal);
        foreach (var (name, _, type) in ConfigurationReference.Sections())
            foreach (var property in type.GetProperties().Where(p => p.CanWrite))
                Assert.Contains($"`Degradation:{name}:{property.Name}`", text, StringComparison.Ordinal);
    }

}
