namespace Degradation.Tests.Alerts;

internal sealed class RecordingSink : IAlertSink
{
    private readonly List<Alert> _alerts = [];
    public Func<Alert, bool>? FailWhen { get; set; }
    public bool Failing { get; set; }
    public IReadOnlyList<Alert> Alerts { get { lock (_alerts) return [.. _alerts]; } }
    public IReadOnlyList<string> Titles => [.. Alerts.Select(a => a.Title)];
    public int Attempts { get; private set; }

    public ValueTask SendAsync(Alert alert, CancellationToken cancellationToken)
    {
        lock (_alerts)
        {
            Attempts++;
            if (Failing || (FailWhen?.Invoke(alert) ?? false)) throw new IOException("pager gateway unreachable");
            _alerts.Add(alert);
        }
        return ValueTask.CompletedTask;
    }
}

/// <summary>Never completes on its own; honours cancellation; tells the test when it was called.</summary>
internal sealed class HangingSink : IAlertSink
{
    public TaskCompletionSource Called { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    public int Calls;

    public ValueTask SendAsync(Alert alert, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref Calls);
        var pending = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        cancellationToken.Register(() => pending.TrySetCanceled(cancellationToken));
        Called.TrySetResult();
        return new ValueTask(pending.Task);
    }
}
