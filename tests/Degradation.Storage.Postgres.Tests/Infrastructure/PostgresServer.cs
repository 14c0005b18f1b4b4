using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Npgsql;

namespace Degradation.Tests.Postgres;

/// <summary>
/// A throw-away PostgreSQL server for the test collection: initdb + pg_ctl into a temporary directory, on a free
/// loopback port (its unix socket in the same directory), removed afterwards. PostgreSQL refuses to run as root,
/// so as root the server runs as the 'postgres' user (created if missing). Missing binaries fail every test.
/// </summary>
public sealed class PostgresServer : IAsyncLifetime
{
    private string _bin = "";
    private string? _runAs;

    public string Root { get; private set; } = "";
    public string DataDirectory => Path.Combine(Root, "data");
    public string SocketDirectory => Path.Combine(Root, "sock");
    public string LogFile => Path.Combine(Root, "server.log");
    public int Port { get; private set; }
    public string ConnectionString => $"Host=127.0.0.1;Port={Port};Username=postgres;Database=postgres;Timeout=5;Command Timeout=60";

    public async Task InitializeAsync()
    {
        _bin = PostgresBinaries.Locate();
        _runAs = Environment.UserName == "root" ? await EnsureServiceUserAsync() : null;
        Root = Directory.CreateTempSubdirectory("degradation-pg-").FullName;
        Directory.CreateDirectory(SocketDirectory);
        if (_runAs is not null) await RunAsync("chown", ["-R", _runAs, Root]);
        Port = FreePort();
        await RunServerToolAsync("initdb", ["-D", DataDirectory, "-U", "postgres", "--auth=trust", "-E", "UTF8", "--locale=C", "-N"]);
        await StartAsync();
    }

    /// <summary>Starts (or restarts) the server on the same port and data directory.</summary>
    public async Task StartAsync()
    {
        await RunServerToolAsync("pg_ctl", ["-D", DataDirectory, "-l", LogFile, "-w", "-t", "60", "-o",
            $"-p {Port} -k {SocketDirectory} -c listen_addresses=127.0.0.1 -c fsync=off -c full_page_writes=off -c max_connections=200", "start"]);
        NpgsqlConnection.ClearAllPools();
    }

    /// <summary>Stops the server (fast shutdown: sessions are disconnected).</summary>
    public async Task StopAsync()
    {
        await RunServerToolAsync("pg_ctl", ["-D", DataDirectory, "-m", "fast", "-w", "-t", "60", "stop"]);
        NpgsqlConnection.ClearAllPools();
    }

    /// <summary>A new, empty schema name; each test works in its own.</summary>
    public static string NewSchema() => "t_" + Guid.NewGuid().ToString("N")[..12];

    public NpgsqlDataSource CreateDataSource() => NpgsqlDataSource.Create(ConnectionString);

    public async Task<T> ScalarAsync<T>(string sql, params (string Name, object Value)[] parameters)
    {
        await using var connection = new NpgsqlConnection(ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        foreach (var (name, value) in parameters) command.Parameters.AddWithValue(name, value);
        return (T)(await command.ExecuteScalarAsync())!;
    }

    public async Task ExecuteAsync(string sql, params (string Name, object Value)[] parameters)
    {
        await using var connection = new NpgsqlConnection(ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        foreach (var (name, value) in parameters) command.Parameters.AddWithValue(name, value);
        await command.ExecuteNonQueryAsync();
    }

    public async Task DisposeAsync()
    {
        if (Root.Length == 0) return;
        try { await RunServerToolAsync("pg_ctl", ["-D", DataDirectory, "-m", "immediate", "-w", "stop"]); }
        catch (InvalidOperationException) { /* not running */ }
        try { Directory.Delete(Root, recursive: true); }
        catch (IOException) { }
    }

    private Task RunServerToolAsync(string tool, IReadOnlyList<string> arguments)
    {
        var path = Path.Combine(_bin, tool);
        return _runAs is null ? RunAsync(path, arguments) : RunAsync("runuser", ["-u", _runAs, "--", path, .. arguments]);
    }

    private static async Task<string> EnsureServiceUserAsync()
    {
        if ((await TryRunAsync("id", ["-u", "postgres"])).ExitCode == 0) return "postgres";
        if ((await TryRunAsync("id", ["-u", "pgtest"])).ExitCode != 0)
            await RunAsync("useradd", ["--system", "--no-create-home", "--shell", "/usr/sbin/nologin", "pgtest"]);
        return "pgtest";
    }

    private static async Task RunAsync(string file, IReadOnlyList<string> arguments)
    {
        var (exitCode, output) = await TryRunAsync(file, arguments);
        if (exitCode != 0)
            throw new InvalidOperationException($"'{file} {string.Join(' ', arguments)}' exited with {exitCode}: {output}");
    }

    private static async Task<(int ExitCode, string Output)> TryRunAsync(string file, IReadOnlyList<string> arguments)
    {
        var info = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false, WorkingDirectory = "/" };
        foreach (var argument in arguments) info.ArgumentList.Add(argument);
        using var process = Process.Start(info) ?? throw new InvalidOperationException($"Could not start {file}.");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return (process.ExitCode, (await stdout) + (await stderr));
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}

[CollectionDefinition(Name)]
public sealed class PostgresCollection : ICollectionFixture<PostgresServer>
{
    public const string Name = "postgres";
}
