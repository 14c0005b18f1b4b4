namespace Degradation.Tests.Recovery;

/// <summary>Records an orchestrator's progress and lets a test await the n-th report matching a predicate.</summary>
internal sealed class ProgressRecorder
{
    private readonly object _lock = new();
    private readonly List<RecoveryProgress> _items = [];
    private readonly List<(Func<RecoveryProgress, bool> Match, int Occurrence, TaskCompletionSource<RecoveryProgress> Done)> _waiters = [];

    public ProgressRecorder(RecoveryOrchestrator orchestrator) => orchestrator.Progress += Add;

    public IReadOnlyList<RecoveryProgress> Items { get { lock (_lock) return [.. _items]; } }

    public Task<RecoveryProgress> WaitFor(Func<RecoveryProgress, bool> match, int occurrence = 1)
    {
        lock (_lock)
        {
            var found = _items.Where(match).Skip(occurrence - 1).FirstOrDefault();
            if (found is not null) return Task.FromResult(found);
            var done = new TaskCompletionSource<RecoveryProgress>(TaskCreationOptions.RunContinuationsAsynchronously);
            _waiters.Add((match, occurrence, done));
            return done.Task.WaitAsync(TimeSpan.FromSeconds(60)); // hang guard only
        }
    }

    public Task<RecoveryProgress> WaitForBackoff(int occurrence) => WaitFor(p => p.Kind == RecoveryProgressKind.BackoffScheduled, occurrence);

    private void Add(RecoveryProgress progress)
    {
        lock (_lock)
        {
            _items.Add(progress);
            for (var i = _waiters.Count - 1; i >= 0; i--)
            {
                var (match, occurrence, done) = _waiters[i];
                if (_items.Count(match) < occurrence) continue;
                done.TrySetResult(progress);
                _waiters.RemoveAt(i);
            }
        }
    }
}
