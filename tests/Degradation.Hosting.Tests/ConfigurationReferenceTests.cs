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

    [Theory]
    [InlineData("T:Degradation.Health.IComponentFallback", "IComponentFallback")]
    [InlineData("T:Degradation.DegradationOptions", "DegradationOptions")]
    [InlineData("T:Degradation.Fallback.FallbackChain`1", "FallbackChain")]
    [InlineData("P:Degradation.RecoveryOptions.BackoffBase", "RecoveryOptions.BackoffBase")]
    [InlineData("P:Degradation.Features.FeatureLevelOptions.ModeLevels", "FeatureLevelOptions.ModeLevels")]
    [InlineData("M:Degradation.Health.IComponentFallback.RefreshData(System.Threading.CancellationToken)", "IComponentFallback.RefreshData")]
    public void A_cref_is_shown_by_the_name_a_reader_knows(string cref, string shown) =>
        Assert.Equal(shown, ConfigurationReference.XmlDocs.Short(cref));

    [Fact]
    public void No_namespace_shows_in_the_reference()
    {
        var text = ConfigurationReference.Render();
        foreach (var ns in typeof(DegradationOptions).Assembly.GetExportedTypes().Select(t => t.Namespace!).Distinct().Where(n => n != "Degradation"))
            Assert.DoesNotContain($"`{ns["Degradation.".Length..]}.", text, StringComparison.Ordinal);
    }
}
