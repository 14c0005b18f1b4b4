namespace Degradation.Tests.Postgres;

/// <summary>Finds the PostgreSQL server binaries (initdb, pg_ctl) under /usr/lib/postgresql/*/bin, newest version first.</summary>
public static class PostgresBinaries
{
    public const string DefaultRoot = "/usr/lib/postgresql";

    public static string Locate(string root = DefaultRoot)
    {
        var candidates = Directory.Exists(root)
            ? Directory.GetDirectories(root)
                .Select(dir => (dir, version: double.TryParse(Path.GetFileName(dir), System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var v) ? v : 0))
                .OrderByDescending(x => x.version)
                .Select(x => Path.Combine(x.dir, "bin"))
                .Where(bin => File.Exists(Path.Combine(bin, "initdb")) && File.Exists(Path.Combine(bin, "pg_ctl")))
                .ToList()
            : [];
        return candidates.FirstOrDefault() ?? throw new InvalidOperationException(
            $"PostgreSQL server binaries not found: no {root}/*/bin/initdb and pg_ctl. The PostgreSQL adapter tests need a real server: " +
            "install the 'postgresql' Debian package (apt-get install postgresql; .ci/run does this).");
    }
}
