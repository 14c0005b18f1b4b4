namespace Degradation.Tests.Infrastructure;

/// <summary>A kill-switch action the test finishes (or fails) when it wants: explicit synchronisation, no timing.</summary>
public sealed class ControlledKillSwitchAction(string name) : IKillSwitchAction
{
    private readonly TaskCompletionSource _started = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _finish = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public string Name { get; } = name;

    /// <summary>Completes once the action has started.</summary>
    public Task Started => _started.Task;

    public void Succeed() => _finish.TrySetResult();

    public void Fail(string message) => _finish.TrySetException(new InvalidOperationException(message));

    public async Task ExecuteAsync(KillSwitchContext context, CancellationToken cancellationToken)
    {
        _started.TrySetResult();
        await _finish.Task.WaitAsync(cancellationToken);
    }
}
