namespace Degradation.Tests.Postgres;

/// <summary>
/// Follows a live state machine for in-process tests: walks every recovery run through its stages at once (the
/// stand-in's recovery steps succeed) and lets a test wait for a mode without polling or sleeping.
/// </summary>
public sealed class ModeWatcher : IDisposable
{
    private readonly DegradationStateMachine _stateMachine;
    private readonly IDisposable _subscription;
    private readonly object _lock = new();
    private readonly List<(SystemMode Mode, TaskCompletionSource Reached)> _waiters = [];

    public ModeWatcher(DegradationStateMachine stateMachine)
    {
        _stateMachine = stateMachine;
        _subscription = stateMachine.SubscribeTransitions(OnTransition);
    }

    /// <summary>Walks the cold-start run, which began before this watcher subscribed.</summary>
    public void AdvanceColdStart()
    {
        if (_stateMachine.ActiveRecoveryRun is { } run && _stateMachine.Stage is { } stage && stage != RecoveryStage.Ready)
            _stateMachine.TryAdvanceStage(run, stage + 1);
    }

    /// <summary>Completes when the gate shows <paramref name="mode"/> (at once if it already does).</summary>
    public async Task WaitForAsync(SystemMode mode, TimeSpan timeout)
    {
        var reached = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_lock) _waiters.Add((mode, reached));
        if (_stateMachine.Gate.Mode == mode) reached.TrySetResult();
        try
        {
            await reached.Task.WaitAsync(timeout);
        }
        catch (TimeoutException)
        {
            throw new TimeoutException($"The system did not reach {mode} within {timeout.TotalSeconds:0} s; it is {_stateMachine.Gate.Mode}. Last transitions: " +
                                       string.Join("; ", _stateMachine.GetHistory().TakeLast(8)));
        }
        finally
        {
            lock (_lock) _waiters.RemoveAll(w => w.Reached == reached);
        }
    }

    private void OnTransition(ModeTransition t)
    {
        if (t.To == SystemMode.Recovering && t.ToStage is { } stage && stage != RecoveryStage.Ready && t.RecoveryRun is { } run)
            _stateMachine.TryAdvanceStage(run, stage + 1);
        lock (_lock)
            foreach (var (mode, reached) in _waiters)
                if (mode == t.To) reached.TrySetResult();
    }

    public void Dispose() => _subscription.Dispose();
}
