namespace Degradation.AspNetCore.Contracts;

/// <summary>The answer to a scope command: accepted or refused (with why), and the scope as it is now.</summary>
public sealed class ScopeCommandResponse
{
    /// <summary>Whether the command was carried out.</summary>
    public required bool Accepted { get; init; }
    /// <summary>Why it was refused (wire name, e.g. <c>sequence_mismatch</c>); null when accepted.</summary>
    public string? Refusal { get; init; }
    /// <summary>Human text: what happened or why not.</summary>
    public required string Message { get; init; }
    /// <summary>The transition it made, if any.</summary>
    public TransitionResponse? Transition { get; init; }
    /// <summary>The scope after the command.</summary>
    public required ScopeResponse Scope { get; init; }
}
