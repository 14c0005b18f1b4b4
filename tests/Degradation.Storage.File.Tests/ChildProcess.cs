using System.Diagnostics;
using System.Text;

namespace Degradation.Tests.Storage;

/// <summary>Runs the crash-test child (`dotnet Degradation.Storage.File.CrashChild.dll ...`) and collects its complete output lines.</summary>
internal sealed class ChildProcess : IDisposable
{
    private readonly Process _process;
    private readonly MemoryStream _output = new();
    private readonly TaskCompletionSource _ready = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _acknowledged = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Task _pump;
    private readonly List<(string Prefix, TaskCompletionSource<string> Seen)> _waiters = [];

    private ChildProcess(Process process)
    {
        _process = process;
        _pump = Task.Run(PumpAsync);
    }

    public static string ChildDll => Path.Combine(AppContext.BaseDirectory, "Degradation.Storage.File.CrashChild.dll");

    public static ChildProcess Start(params string[] arguments)
    {
        var info = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardInput = true,
            RedirectStandardError = false,
            UseShellExecute = false,
        };
        info.ArgumentList.Add(ChildDll);
        foreach (var argument in arguments) info.ArgumentList.Add(argument);
        return new ChildProcess(Process.Start(info) ?? throw new InvalidOperationException("could not start the child process"));
    }

    /// <summary>Completes when the child printed READY (its WAL is open).</summary>
    public async Task WaitReadyAsync(TimeSpan timeout)
    {
        await WaitAsync(_ready.Task, timeout, "report READY");
    }

    /// <summary>Completes with the first complete line starting with <paramref name="prefix"/> the child printed.</summary>
    public async Task<string> WaitForLineAsync(string prefix, TimeSpan timeout)
    {
        var seen = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_output)
        {
            _waiters.Add((prefix, seen));
            Match();
        }
        await WaitAsync(seen.Task, timeout, $"print '{prefix}'");
        return await seen.Task;
    }

    // Waits for what the child signals, its exit, or the timeout. Ask the task, not which one WhenAny saw first: the
    // signals complete their continuations asynchronously, so the pump ending right after (the child exited) can win
    // the race inside WhenAny.
    private async Task WaitAsync(Task signal, TimeSpan timeout, string what)
    {
        await Task.WhenAny(signal, _pump, Task.Delay(timeout));
        if (!signal.IsCompleted)
            throw new TimeoutException($"The child did not {what} within {timeout} (exited: {_process.HasExited}). Output: {Encoding.ASCII.GetString(Snapshot())}");
    }

    // Under the output lock: completes the waiters whose line has arrived.
    private void Match()
    {
        if (_waiters.Count == 0) return;
        var text = Encoding.ASCII.GetString(_output.GetBuffer(), 0, (int)_output.Length);
        var end = text.LastIndexOf('\n');
        if (end < 0) return;
        var lines = text[..end].Split('\n');
        foreach (var (prefix, seen) in _waiters)
            if (lines.FirstOrDefault(l => l.StartsWith(prefix, StringComparison.Ordinal)) is { } line) seen.TrySetResult(line);
    }

    /// <summary>
    /// Completes when the child reported its first acknowledged (durable) append, so a kill after this point is
    /// guaranteed to land after acknowledgements, however slowly a loaded machine schedules the child.
    /// </summary>
    public async Task WaitFirstAcknowledgementAsync(TimeSpan timeout)
    {
        await WaitAsync(_acknowledged.Task, timeout, "acknowledge an append");
    }

    /// <summary>SIGKILL on Unix (TerminateProcess on Windows): no cleanup code runs in the child.</summary>
    public async Task KillAsync()
    {
        try { _process.Kill(entireProcessTree: false); } catch (InvalidOperationException) { /* already exited */ }
        await _process.WaitForExitAsync();
        await _pump;
    }

    public void CloseInput() => _process.StandardInput.Close();

    public Task WaitForExitAsync() => _process.WaitForExitAsync();

    /// <summary>The complete lines printed (a line cut by the kill is ignored: it was never fully reported).</summary>
    public List<string> CompleteLines()
    {
        var text = Encoding.ASCII.GetString(Snapshot());
        var end = text.LastIndexOf('\n');
        return end < 0 ? [] : [.. text[..end].Split('\n')];
    }

    public void Dispose()
    {
        try { if (!_process.HasExited) _process.Kill(); } catch (InvalidOperationException) { }
        _process.Dispose();
    }

    private byte[] Snapshot()
    {
        lock (_output) return _output.ToArray();
    }

    private async Task PumpAsync()
    {
        var stream = _process.StandardOutput.BaseStream;
        var buffer = new byte[16 * 1024];
        while (true)
        {
            var n = await stream.ReadAsync(buffer);
            if (n == 0) return;
            lock (_output)
            {
                _output.Write(buffer, 0, n);
                if (!_ready.Task.IsCompleted && _output.Length >= 6 && Encoding.ASCII.GetString(_output.GetBuffer(), 0, 6) == "READY\n") _ready.TrySetResult();
                Match();
                // "A " at a line start; the newest read plus the byte before it is enough (earlier bytes were checked before).
                if (_ready.Task.IsCompleted && !_acknowledged.Task.IsCompleted)
                {
                    var from = (int)Math.Max(5, _output.Length - n - 1);
                    if (Encoding.ASCII.GetString(_output.GetBuffer(), from, (int)_output.Length - from).Contains("\nA ", StringComparison.Ordinal)) _acknowledged.TrySetResult();
                }
            }
        }
    }
}
