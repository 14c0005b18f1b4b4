namespace Degradation.AspNetCore.Contracts;

/// <summary>Answer of POST <c>halt</c>, <c>release-halt</c>, <c>release</c> and <c>recovery/complete</c>.</summary>
public sealed class CommandResponse
{
    /// <summary>The recorded transition.</summary>
    public required TransitionResponse Transition { get; init; }
    /// <summary>The status afterwards.</summary>
    public required StatusResponse Status { get; init; }
    /// <summary>What happened, in words (wire names), or null.</summary>
    public string? Message { get; init; }
    /// <summary>
    /// False only when the command is in force in this process but its operator state could not be stored durably
    /// (it would not survive a restart): the operator must be told, and should act on it.
    /// </summary>
    public bool Durable { get; init; } = true;
}
