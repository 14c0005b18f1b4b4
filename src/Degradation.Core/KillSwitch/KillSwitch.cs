namespace Degradation.KillSwitches;

/// <summary>
/// Runs the registered <see cref="IKillSwitchAction"/>s once per entry into Halt, all concurrently, each under
/// <see cref="OperatorOptions.KillSwitchActionTimeout"/>, off the state machine's path (on its own
/// transition-observer loop), and keeps the latest outcome of each. A Halt restored at start counts as an entry:
/// after a crash the actions run again, which is what a mass-cancel wants. Thread-safe.
/// </summary>
public sealed class KillSwitch : IAsyncDisposable
{
    private readonly object _lock = new();
    private readonly DegradationStateMachine _stateMachine;
    private readonly TimeProvider _time;
    private readonly TimeSpan _timeout;
    private readonly List<IKillSwitchAction> _actions = [];
    private IReadOnlyList<KillSwitchActionOutcome> _outcomes = [];
    private IDisposable? _subscription;
    private Task _idle = Task.CompletedTask;
    private long _failures;

    internal KillSwitch(DegradationStateMachine stateMachine, TimeProvider timeProvider)
    {
        _stateMachine = stateMachine;
        _time = timeProvider;
        _timeout = stateMachine.Policy.Options.Operator.KillSwitchActionTimeout;
    }

    /// <summary>Raised (on the kill switch's loop) when an action starts and when it finishes; for audit and logs. Handlers must not throw.</summary>
    public event Action<KillSwitchActionOutcome>? OutcomeRecorded;

    /// <summary>The registered actions.</summary>
    public IReadOnlyList<IKillSwitchAction> Actions { get { lock (_lock) return [.. _actions]; } }

    /// <summary>The outcome of each action for the latest entry into Halt (empty before the first).</summary>
    public IReadOnlyList<KillSwitchActionOutcome> Outcomes { get { lock (_lock) return _outcomes; } }

    /// <summary>Actions that failed or timed out, in total.</summary>
    public long Failures => Interlocked.Read(ref _failures);

    /// <summary>Registers <paramref name="action"/>; it runs from the next entry into Halt on.</summary>
    public void Add(IKillSwitchAction action)
    {
        ArgumentNullException.ThrowIfNull(action);
        ArgumentException.ThrowIfNullOrWhiteSpace(action.Name, nameof(action));
        lock (_lock) _actions.Add(action);
    }

    /// <summary>Completes when every action run started so far has finished (or timed out).</summary>
    public Task WhenIdleAsync()
    {
        lock (_lock) return _idle;
    }

    /// <summary>Starts watching transitions, the retained history included (so a Halt restored at start is seen). Idempotent.</summary>
    internal void Start()
    {
        lock (_lock)
        {
            _subscription ??= _stateMachine.SubscribeTransitionsWithHistory(OnTransitionAsync);
        }
    }

    private ValueTask OnTransitionAsync(ModeTransition transition, CancellationToken cancellationToken)
    {
        if (transition.To != SystemMode.Halt || transition.From == SystemMode.Halt) return ValueTask.CompletedTask;
        IKillSwitchAction[] actions;
        IReadOnlyList<KillSwitchActionOutcome> running;
        Task run;
        lock (_lock)
        {
            actions = [.. _actions];
            var started = _time.GetUtcNow();
            running = _outcomes = [.. actions.Select(a => Outcome(a, KillSwitchActionStatus.Running, null, started, null, transition.Sequence))];
            foreach (var outcome in running) Raise(outcome); // before any action can finish, so "running" is always told first
            run = RunAllAsync(actions, new KillSwitchContext(transition), started, cancellationToken);
            _idle = Task.WhenAll(_idle, run);
        }
        // Waiting here keeps runs for successive Halts in order; the timeout bounds the wait.
        return new ValueTask(run);
    }

    private Task RunAllAsync(IKillSwitchAction[] actions, KillSwitchContext context, DateTimeOffset started, CancellationToken cancellationToken) =>
        Task.WhenAll(actions.Select((action, index) => RunOneAsync(action, index, context, started, cancellationToken)));

    private async Task RunOneAsync(IKillSwitchAction action, int index, KillSwitchContext context, DateTimeOffset started, CancellationToken cancellationToken)
    {
        using var timeout = new CancellationTokenSource(_timeout, _time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(timeout.Token, cancellationToken);
        // Completes when the timeout (or shutdown) cancels the action, whether or not the action honours it.
        var expired = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var expiry = linked.Token.Register(static state => ((TaskCompletionSource)state!).TrySetResult(), expired);
        KillSwitchActionStatus status;
        string? details = null;
        try
        {
            // Task.Run: an action that blocks before its first await must not hold up the others.
            var work = Task.Run(() => action.ExecuteAsync(context, linked.Token), CancellationToken.None);
            if (await Task.WhenAny(work, expired.Task).ConfigureAwait(false) != work) throw new OperationCanceledException(linked.Token);
            await work.ConfigureAwait(false);
            status = KillSwitchActionStatus.Succeeded;
        }
        catch (OperationCanceledException) when (timeout.IsCancellationRequested)
        {
            status = KillSwitchActionStatus.TimedOut;
            details = $"did not finish within {_timeout.TotalSeconds:0.###} s";
        }
#pragma warning disable CA1031 // An action's failure is its outcome; it must not stop the others or the loop.
        catch (Exception error)
#pragma warning restore CA1031
        {
            status = KillSwitchActionStatus.Failed;
            details = $"{error.GetType().Name}: {error.Message}";
        }
        if (status != KillSwitchActionStatus.Succeeded) Interlocked.Increment(ref _failures);
        var outcome = Outcome(action, status, details, started, _time.GetUtcNow(), context.HaltSequence);
        lock (_lock)
        {
            if (index < _outcomes.Count && _outcomes[index].HaltSequence == context.HaltSequence)
            {
                var copy = _outcomes.ToArray();
                copy[index] = outcome;
                _outcomes = copy;
            }
        }
        Raise(outcome);
    }

    private static KillSwitchActionOutcome Outcome(IKillSwitchAction action, KillSwitchActionStatus status, string? details,
        DateTimeOffset started, DateTimeOffset? completed, long sequence) => new()
    {
        Name = action.Name, Status = status, Details = details, StartedAt = started, CompletedAt = completed, HaltSequence = sequence,
    };

    private void Raise(KillSwitchActionOutcome outcome)
    {
        try
        {
            OutcomeRecorded?.Invoke(outcome);
        }
#pragma warning disable CA1031 // A throwing audit handler must not break the kill switch.
        catch (Exception)
#pragma warning restore CA1031
        {
        }
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        IDisposable? subscription;
        lock (_lock)
        {
            subscription = _subscription;
            _subscription = null;
        }
        subscription?.Dispose();
        try
        {
            await WhenIdleAsync().ConfigureAwait(false);
        }
#pragma warning disable CA1031 // outcomes already recorded
        catch (Exception)
#pragma warning restore CA1031
        {
        }
    }
}
