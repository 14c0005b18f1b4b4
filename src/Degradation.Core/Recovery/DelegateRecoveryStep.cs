namespace Degradation.Recovery;

/// <summary>An <see cref="IRecoveryStep"/> built from a delegate.</summary>
internal sealed class DelegateRecoveryStep : IRecoveryStep
{
    private readonly Func<RecoveryStepContext, CancellationToken, ValueTask<RecoveryStepResult>> _execute;

    /// <summary>A step whose delegate returns its result.</summary>
    public DelegateRecoveryStep(string name, Func<RecoveryStepContext, CancellationToken, ValueTask<RecoveryStepResult>> execute)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentNullException.ThrowIfNull(execute);
        Name = name;
        _execute = execute;
    }

    /// <summary>A step that succeeds when <paramref name="execute"/> completes and fails when it throws.</summary>
    public DelegateRecoveryStep(string name, Func<CancellationToken, ValueTask> execute)
        : this(name, Wrap(execute))
    {
    }

    /// <summary>A step that succeeds when <paramref name="execute"/> returns true and fails when it returns false or throws.</summary>
    public DelegateRecoveryStep(string name, Func<CancellationToken, ValueTask<bool>> execute)
        : this(name, Wrap(name, execute))
    {
    }

    /// <inheritdoc />
    public string Name { get; }

    /// <inheritdoc />
    public ValueTask<RecoveryStepResult> ExecuteAsync(RecoveryStepContext context, CancellationToken cancellationToken) => _execute(context, cancellationToken);

    private static Func<RecoveryStepContext, CancellationToken, ValueTask<RecoveryStepResult>> Wrap(Func<CancellationToken, ValueTask> execute)
    {
        ArgumentNullException.ThrowIfNull(execute);
        return async (_, ct) =>
        {
            await execute(ct).ConfigureAwait(false);
            return RecoveryStepResult.Success();
        };
    }

    private static Func<RecoveryStepContext, CancellationToken, ValueTask<RecoveryStepResult>> Wrap(string name, Func<CancellationToken, ValueTask<bool>> execute)
    {
        ArgumentNullException.ThrowIfNull(execute);
        return async (_, ct) => await execute(ct).ConfigureAwait(false)
            ? RecoveryStepResult.Success()
            : RecoveryStepResult.Failure($"step '{name}' reported failure");
    }
}
