namespace Degradation.Recovery;

/// <summary>What a recovery step knows about the run it is part of.</summary>
public sealed class RecoveryStepContext
{
    /// <summary>Creates a context (the orchestrator does this; tests of your own steps can too).</summary>
    public RecoveryStepContext(RecoveryRunId run, RecoveryTrigger trigger, RecoveryStage stage, int attempt, TimeProvider timeProvider)
    {
        ArgumentNullException.ThrowIfNull(timeProvider);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(attempt);
        Run = run;
        Trigger = trigger;
        Stage = stage;
        Attempt = attempt;
        TimeProvider = timeProvider;
    }

    /// <summary>The recovery run.</summary>
    public RecoveryRunId Run { get; }
    /// <summary>What started the run.</summary>
    public RecoveryTrigger Trigger { get; }
    /// <summary>The stage the step belongs to.</summary>
    public RecoveryStage Stage { get; }
    /// <summary>The stage attempt, 1-based.</summary>
    public int Attempt { get; }
    /// <summary>The clock.</summary>
    public TimeProvider TimeProvider { get; }
}
