namespace Degradation.AspNetCore.Contracts;

/// <summary>The outcome of one kill-switch action for the latest entry into Halt.</summary>
public sealed class KillSwitchActionResponse
{
    /// <summary>The action's name.</summary>
    public required string Name { get; init; }
    /// <summary><c>running</c>, <c>succeeded</c>, <c>failed</c> or <c>timed_out</c>.</summary>
    public required string Status { get; init; }
    /// <summary>The error for a failure, the timeout for a time-out, else null.</summary>
    public string? Details { get; init; }
    /// <summary>When it started.</summary>
    public required DateTimeOffset StartedAt { get; init; }
    /// <summary>When it finished; null while running.</summary>
    public DateTimeOffset? CompletedAt { get; init; }
    /// <summary>Sequence of the transition that entered Halt.</summary>
    public required long HaltSequence { get; init; }
}
