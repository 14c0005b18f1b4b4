using System.Diagnostics;
using System.Globalization;

namespace Degradation.Storage.Postgres;

/// <summary>Default names for this process and host in audit rows and fleet acknowledgements.</summary>
public static class ProcessIdentity
{
    /// <summary>The machine name.</summary>
    public static string DefaultHostId() => Environment.MachineName;

    /// <summary>
    /// <c>host:pid:start-time</c> — stable for the life of the process and unique across restarts even when the
    /// operating system reuses a pid (audit rows are keyed by process id and sequence).
    /// </summary>
    public static string DefaultProcessId()
    {
        using var process = Process.GetCurrentProcess();
        var started = process.StartTime.ToUniversalTime().ToString("yyyyMMdd'T'HHmmss.fff", CultureInfo.InvariantCulture);
        return $"{Environment.MachineName}:{Environment.ProcessId}:{started}";
    }

    internal static void Validate(string? value, string name)
    {
        if (string.IsNullOrWhiteSpace(value) || value.Length > 200)
            throw new ArgumentException($"{name} must be 1 to 200 characters (was '{value}').", name);
    }
}
