namespace Degradation.Tests.Postgres;

/// <summary>Missing server binaries fail the suite with a message that says what to install (never a silent skip).</summary>
public sealed class PostgresBinariesTests
{
    [Fact]
    public void Missing_binaries_fail_with_an_explanation()
    {
        var empty = Directory.CreateTempSubdirectory("no-postgres-").FullName;
        try
        {
            var ex = Assert.Throws<InvalidOperationException>(() => PostgresBinaries.Locate(empty));
            Assert.Contains("PostgreSQL server binaries not found", ex.Message);
            Assert.Contains("postgresql", ex.Message);
        }
        finally
        {
            Directory.Delete(empty, true);
        }
    }

    [Fact]
    public void The_newest_installed_version_is_chosen()
    {
        var root = Directory.CreateTempSubdirectory("fake-postgres-").FullName;
        try
        {
            foreach (var version in new[] { "9.6", "15", "13" })
            {
                var bin = Directory.CreateDirectory(Path.Combine(root, version, "bin")).FullName;
                File.WriteAllText(Path.Combine(bin, "initdb"), "");
                File.WriteAllText(Path.Combine(bin, "pg_ctl"), "");
            }
            Assert.Equal(Path.Combine(root, "15", "bin"), PostgresBinaries.Locate(root));
        }
        finally
        {
            Directory.Delete(root, true);
        }
    }
}
