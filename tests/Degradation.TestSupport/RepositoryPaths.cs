namespace Degradation.Testing;

/// <summary>Where the repository is, for tests that read or check files in it (docs, READMEs, public API).</summary>
public static class RepositoryPaths
{
    /// <summary>The folder holding Degradation.Core.sln.</summary>
    public static string Root { get; } = FindRoot();

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "Degradation.Core.sln"))) return dir.FullName;
        throw new InvalidOperationException($"Degradation.Core.sln not found above {AppContext.BaseDirectory}.");
    }
}
