namespace Degradation.Packaging.Tests;

internal static class RepositoryPaths
{
    public static string Root { get; } = FindRoot();

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "Degradation.Core.sln"))) return dir.FullName;
        throw new InvalidOperationException($"Degradation.Core.sln not found above {AppContext.BaseDirectory}.");
    }
}
