namespace Degradation.AspNetCore.Contracts;

/// <summary>Answer of POST <c>force</c>: the override outcome plus the transition and status.</summary>
public sealed class ForceResponse
{
    /// <summary>The forced mode.</summary>
    public required string Mode { get; init; }
    /// <summary>Always true.</summary>
    public required bool IsOverride { get; init; }
    /// <summary>When the override ends.</summary>
    public required DateTimeOffset ExpiresAt { get; init; }
    /// <summary>The recorded transition.</summary>
    public required TransitionResponse Transition { get; init; }
    /// <summary>The status afterwards.</summary>
    public required StatusResponse Status { get; init; }
}
