namespace Degradation.AspNetCore.Contracts;

/// <summary>Answer of POST <c>release</c> and <c>recovery/complete</c>.</summary>
public sealed class CommandResponse
{
    /// <summary>The recorded transition.</summary>
    public required TransitionResponse Transition { get; init; }
    /// <summary>The status afterwards.</summary>
    public required StatusResponse Status { get; init; }
}
