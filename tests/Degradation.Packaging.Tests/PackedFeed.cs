using Degradation.Testing;
using System.Text;

namespace Degradation.Packaging.Tests;

/// <summary>
/// Packs every src/ project once, from a git clone-like copy of the sources (as a release would: Source Link
/// needs the commit and the remote), into a local folder feed shared by the tests of the
/// <see cref="PackedFeedCollection"/>. Consumers restore from it with package references, never project references.
/// </summary>
public sealed class PackedFeed : IDisposable
{
    /// <summary>The packages of this repository, in dependency order.</summary>
    public static readonly string[] Packages =
    [
        "Degradation.Core", "Degradation.Storage.File", "Degradation.Hosting", "Degradation.Polly",
        "Degradation.AspNetCore", "Degradation.Storage.Postgres",
    ];

    private readonly StringBuilder log = new();

    public PackedFeed()
    {
        Work = Directory.CreateTempSubdirectory("degradation-consumer-").FullName;
        var repo = Path.Combine(Work, "repo");
        CopySources(repo);
        Run("git", "init -q", repo);
        Run("git", "add -A", repo);
        Run("git", "-c user.name=pack -c user.email=pack@localhost commit -q -m pack", repo);
        Run("git", "remote add origin https://github.com/degradation-core/Degradation.Core.git", repo);
        Commit = Run("git", "rev-parse HEAD", repo).Trim();
        Feed = Path.Combine(Work, "feed");
        Run("dotnet", "new sln -n Pack --format sln", repo);
        foreach (var package in Packages) Run("dotnet", $"sln Pack.sln add src/{package}/{package}.csproj", repo);
        // A generous bound: on a loaded 2-core machine packing six projects has taken over 15 minutes.
        PackOutput = Run("dotnet", $"pack Pack.sln -c Release -o \"{Feed}\"", repo, TimeSpan.FromMinutes(45));
    }

    /// <summary>A scratch folder deleted with the fixture.</summary>
    public string Work { get; }

    /// <summary>The folder feed holding the .nupkg and .snupkg files.</summary>
    public string Feed { get; }

    /// <summary>The commit the packages were packed from.</summary>
    public string Commit { get; }

    /// <summary>What <c>dotnet pack</c> printed.</summary>
    public string PackOutput { get; }

    /// <summary>The commands run so far and their output, for failure messages.</summary>
    public string Log { get { lock (log) return log.ToString(); } }

    /// <summary>A global-packages folder private to this feed, so a stale 0.1.0 in the machine cache is never used.</summary>
    public string PackagesFolder => Path.Combine(Work, "packages");

    /// <summary>Writes a nuget.config into <paramref name="directory"/> that takes Degradation.* from the feed only.</summary>
    public void WriteNuGetConfig(string directory)
    {
        Directory.CreateDirectory(directory);
        var globalPackages = Environment.GetEnvironmentVariable("NUGET_PACKAGES")
            ?? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");
        File.WriteAllText(Path.Combine(directory, "nuget.config"), $"""
            <?xml version="1.0" encoding="utf-8"?>
            <configuration>
              <packageSources>
                <clear />
                <add key="fresh" value="{Feed}" />
                <add key="machine-cache" value="{globalPackages}" />
                <add key="local" value="/opt/nuget/packages" />
                <add key="nuget.org" value="https://api.nuget.org/v3/index.json" />
              </packageSources>
              <packageSourceMapping>
                <packageSource key="fresh"><package pattern="Degradation.*" /></packageSource>
                <packageSource key="machine-cache"><package pattern="*" /></packageSource>
                <packageSource key="local"><package pattern="*" /></packageSource>
                <packageSource key="nuget.org"><package pattern="*" /></packageSource>
              </packageSourceMapping>
            </configuration>
            """);
    }

    /// <summary>Runs a command, recording it in <see cref="Log"/>; a non-zero exit code throws with the output.</summary>
    public string Run(string file, string args, string cwd, TimeSpan? timeout = null)
    {
        var (code, text) = ProcessRunner.Run(file, args, cwd, timeout ?? TimeSpan.FromMinutes(3));
        lock (log)
        {
            log.AppendLine($"$ {file} {args}  (exit {code})");
            log.AppendLine(text.Length > 6000 ? text[^6000..] : text);
        }
        if (code != 0) throw new InvalidOperationException($"{file} {args} failed with exit code {code}:\n{text}");
        return text;
    }

    public void Dispose()
    {
        try { Directory.Delete(Work, recursive: true); } catch (IOException) { }
    }

    private static void CopySources(string destination)
    {
        var root = RepositoryPaths.Root;
        Directory.CreateDirectory(destination);
        foreach (var file in new[] { "Directory.Build.props", "Directory.Packages.props", "BannedSymbols.txt", "nuget.config", "LICENSE" })
            File.Copy(Path.Combine(root, file), Path.Combine(destination, file));
        foreach (var source in Directory.EnumerateFiles(Path.Combine(root, "src"), "*", SearchOption.AllDirectories))
        {
            var relative = Path.GetRelativePath(root, source);
            var parts = relative.Split(Path.DirectorySeparatorChar);
            if (parts.Contains("bin") || parts.Contains("obj")) continue;
            var target = Path.Combine(destination, relative);
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(source, target);
        }
    }
}

/// <summary>The tests that share one <see cref="PackedFeed"/> (packing takes minutes; it is done once).</summary>
[CollectionDefinition(Name)]
public sealed class PackedFeedCollection : ICollectionFixture<PackedFeed>
{
    public const string Name = "packed feed";
}
