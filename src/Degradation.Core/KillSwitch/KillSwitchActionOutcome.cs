namespace Degradation.KillSwitches;

/// <summary>The outcome of one kill-switch action for one entry into Halt.</summary>
public sealed record KillSwitchActionOutcome
{
    /// <summary>The action's name.</summary>
    public required string Name { get; init; }
    /// <summary>Where it stands.</summary>
    public required KillSwitchActionStatus Status { get; init; }
    /// <summary>The error (type and message) for a failure, the timeout for a time-out, else null.</summary>
    public string? Details { get; init; }
    /// <summary>Wall time it started.</summary>
    public required DateTimeOffset StartedAt { get; init; }
    /// <summary>Wall time it finished, null while running.</summary>
    public DateTimeOffset? CompletedAt { get; init; }
    /// <summary>Sequence of the transition that entered Halt.</summary>
    public required long HaltSequence { get; init; }
}
