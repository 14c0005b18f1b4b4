using System.Diagnostics;

namespace Degradation.Tests.Postgres;

/// <summary>
/// One run of the <c>degradation-fleet</c> console app (samples/FleetCli) as a separate OS process, with its
/// standard output collected line by line so a test can wait for what the process reports.
/// </summary>
public sealed class FleetCliProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly List<string> _lines = [];
    private readonly object _lock = new();
    private readonly SemaphoreSlim _changed = new(0, int.MaxValue);
    private readonly TaskCompletionSource _exited = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly List<string> _errors = [];

    private FleetCliProcess(Process process, string name)
    {
        _process = process;
        Name = name;
    }

    public string Name { get; }

    public static string CliPath => Path.Combine(AppContext.BaseDirectory, "degradation-fleet.dll");

    public static FleetCliProcess Start(string name, params string[] arguments)
    {
        if (!File.Exists(CliPath)) throw new InvalidOperationException($"The fleet CLI was not built next to the tests: {CliPath}");
        var info = new ProcessStartInfo("dotnet")
        {
            RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false,
        };
        info.ArgumentList.Add(CliPath);
        foreach (var argument in arguments) info.ArgumentList.Add(argument);
        var process = new Process { StartInfo = info, EnableRaisingEvents = true };
        var child = new FleetCliProcess(process, name);
        process.OutputDataReceived += (_, e) =>
        {
            if (e.Data is null) { child._exited.TrySetResult(); child._changed.Release(); return; }
            lock (child._lock) child._lines.Add(e.Data);
            child._changed.Release();
        };
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is not null) lock (child._lock) child._errors.Add(e.Data);
        };
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return child;
    }

    public IReadOnlyList<string> Lines { get { lock (_lock) return [.. _lines]; } }

    public int LineCount { get { lock (_lock) return _lines.Count; } }

    public string StandardError { get { lock (_lock) return string.Join('\n', _errors); } }

    public int? ExitCode => _process.HasExited ? _process.ExitCode : null;

    /// <summary>Waits for a line (at or after <paramref name="from"/>) that matches; returns it and its index.</summary>
    public async Task<(string Line, int Index)> WaitForLineAsync(Func<string, bool> match, TimeSpan timeout, int from = 0, string? what = null)
    {
        using var cts = new CancellationTokenSource(timeout);
        var next = from;
        while (true)
        {
            lock (_lock)
            {
                for (; next < _lines.Count; next++)
                    if (match(_lines[next])) return (_lines[next], next);
            }
            if (_exited.Task.IsCompleted)
                throw new InvalidOperationException($"{Name} exited before printing {what ?? "the expected line"}.\nstdout:\n{string.Join('\n', Lines)}\nstderr:\n{StandardError}");
            try { await _changed.WaitAsync(cts.Token); }
            catch (OperationCanceledException)
            {
                throw new TimeoutException($"{Name} did not print {what ?? "the expected line"} within {timeout.TotalSeconds:0.#} s.\nstdout (from line {from}):\n{string.Join('\n', Lines.Skip(from))}\nstderr:\n{StandardError}");
            }
        }
    }

    /// <summary>Waits for the process to exit and returns its exit code.</summary>
    public async Task<int> WaitForExitAsync(TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        await _process.WaitForExitAsync(cts.Token);
        await _exited.Task.WaitAsync(timeout);
        return _process.ExitCode;
    }

    /// <summary>Writes one line to the process's standard input (e.g. "probe").</summary>
    public async Task SendAsync(string line)
    {
        await _process.StandardInput.WriteLineAsync(line);
        await _process.StandardInput.FlushAsync();
    }

    /// <summary>Asks the process to stop cleanly ("quit") and waits for it to exit; returns its exit code.</summary>
    public async Task<int> QuitAsync(TimeSpan timeout)
    {
        await _process.StandardInput.WriteLineAsync("quit");
        await _process.StandardInput.FlushAsync();
        return await WaitForExitAsync(timeout);
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (!_process.HasExited)
            {
                await _process.StandardInput.WriteLineAsync("quit");
                await _process.StandardInput.FlushAsync();
                using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(5));
                try { await _process.WaitForExitAsync(cts.Token); }
                catch (OperationCanceledException) { _process.Kill(entireProcessTree: true); }
            }
        }
        catch (Exception ex) when (ex is IOException or InvalidOperationException)
        {
            if (!_process.HasExited) _process.Kill(entireProcessTree: true);
        }
        _process.Dispose();
        _changed.Dispose();
    }
}
