using System.Diagnostics;
using System.Text;

namespace Degradation.Packaging.Tests;

internal static class ProcessRunner
{
    public static (int ExitCode, string Output) Run(string fileName, string arguments, string workingDirectory, TimeSpan timeout, IDictionary<string, string>? environment = null)
    {
        var info = new ProcessStartInfo(fileName, arguments)
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        info.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        info.Environment["DOTNET_NOLOGO"] = "1";
        info.Environment["MSBUILDDISABLENODEREUSE"] = "1";
        foreach (var (key, value) in environment ?? new Dictionary<string, string>()) info.Environment[key] = value;
        using var process = Process.Start(info) ?? throw new InvalidOperationException($"Could not start {fileName}.");
        var output = new StringBuilder();
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) lock (output) output.AppendLine(e.Data); };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (output) output.AppendLine(e.Data); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        if (!process.WaitForExit(timeout))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{fileName} {arguments} did not finish within {timeout}.\n{output}");
        }
        process.WaitForExit();
        lock (output) return (process.ExitCode, output.ToString());
    }

    /// <summary>
    /// Starts a long-running program, waits until its output satisfies <paramref name="ready"/>, then stops it
    /// with SIGTERM (as a service manager would) and waits for it to exit. Returns whether it became ready, its
    /// exit code and its output; a program that does not exit within <paramref name="timeout"/> of the signal
    /// is killed.
    /// </summary>
    public static (bool Ready, int ExitCode, string Output) RunUntil(string fileName, string arguments, string workingDirectory,
        Func<string, bool> ready, TimeSpan timeout)
    {
        var info = new ProcessStartInfo(fileName, arguments)
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        info.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        info.Environment["DOTNET_NOLOGO"] = "1";
        using var process = Process.Start(info) ?? throw new InvalidOperationException($"Could not start {fileName}.");
        var output = new StringBuilder();
        var readySignal = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        void Received(string? line)
        {
            if (line is null) return;
            lock (output)
            {
                output.AppendLine(line);
                if (ready(output.ToString())) readySignal.TrySetResult();
            }
        }
        process.OutputDataReceived += (_, e) => Received(e.Data);
        process.ErrorDataReceived += (_, e) => Received(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var exited = process.WaitForExitAsync();
        Task.WhenAny(readySignal.Task, exited, Task.Delay(timeout)).GetAwaiter().GetResult();
        var becameReady = readySignal.Task.IsCompleted;
        if (!process.HasExited)
        {
            using (var kill = Process.Start("kill", $"-TERM {process.Id}")) kill.WaitForExit();
            if (!process.WaitForExit(timeout)) process.Kill(entireProcessTree: true);
        }
        process.WaitForExit();
        lock (output) return (becameReady, process.ExitCode, output.ToString());
    }
}
