using System.Diagnostics;

namespace Degradation.Testing;

/// <summary>
/// Runs a console program built next to the tests (<c>dotnet program.dll args</c>) to its end and returns its exit
/// code and what it wrote to standard output and standard error — for tests of a sample's command line.
/// </summary>
public static class ConsoleRun
{
    /// <summary>The outcome of one run.</summary>
    /// <param name="ExitCode">The process's exit code.</param>
    /// <param name="Output">Standard output.</param>
    /// <param name="Error">Standard error.</param>
    public sealed record Result(int ExitCode, string Output, string Error);

    /// <summary>Runs <paramref name="assembly"/> (a file name in the test's output folder) with <paramref name="arguments"/>.</summary>
    /// <exception cref="TimeoutException">The program did not end within <paramref name="timeout"/> (it is killed).</exception>
    public static async Task<Result> DotnetAsync(string assembly, IEnumerable<string> arguments, TimeSpan timeout)
    {
        var path = Path.Combine(AppContext.BaseDirectory, assembly);
        if (!File.Exists(path)) throw new InvalidOperationException($"{assembly} was not built next to the tests: {path}");
        var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        info.ArgumentList.Add(path);
        foreach (var argument in arguments) info.ArgumentList.Add(argument);
        info.Environment["DOTNET_NOLOGO"] = "1";
        using var process = Process.Start(info) ?? throw new InvalidOperationException("Could not start dotnet.");
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var cancel = new CancellationTokenSource(timeout);
        try
        {
            await process.WaitForExitAsync(cancel.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{assembly} {string.Join(' ', arguments)} did not end within {timeout}.");
        }
        return new Result(process.ExitCode, await output, await error);
    }
}
