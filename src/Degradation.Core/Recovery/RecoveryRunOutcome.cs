namespace Degradation.Recovery;

/// <summary>How the orchestrator finished one recovery run.</summary>
/// <param name="Run">The run.</param>
/// <param name="Trigger">What started it.</param>
/// <param name="Status">How it ended.</param>
/// <param name="LastStage">The last stage it worked on.</param>
/// <param name="StepsRun">Names of the steps that succeeded, in order.</param>
/// <param name="Details">Failure details, if any.</param>
public sealed record RecoveryRunOutcome(RecoveryRunId Run, RecoveryTrigger Trigger, RecoveryRunStatus Status, RecoveryStage LastStage,
    IReadOnlyList<string> StepsRun, string? Details);
