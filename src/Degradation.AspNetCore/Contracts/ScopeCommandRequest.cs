namespace Degradation.AspNetCore.Contracts;

/// <summary>
/// Body of POST <c>scopes/{path}/halt</c>, <c>force</c> and <c>release</c>. The operator is the authenticated principal.
/// </summary>
public sealed record ScopeCommandRequest
{
    /// <summary>Why (required, audited).</summary>
    public string? Reason { get; init; }
    /// <summary>For <c>force</c>: the mode to force, in wire form (e.g. <c>safe_mode</c>).</summary>
    public string? Mode { get; init; }
    /// <summary>For <c>force</c>: how long the override lasts, within the configured bounds.</summary>
    public double? TtlSeconds { get; init; }
    /// <summary>For <c>release</c>: <c>halt</c> (the default) or <c>override</c>.</summary>
    public string? Target { get; init; }
    /// <summary>The scope's sequence the operator acted on (from GET <c>scopes</c>); the command is refused if the scope moved on.</summary>
    public long? ExpectedSequence { get; init; }
    /// <summary>Reason codes of the active conditions the operator acknowledges when loosening past them.</summary>
    public IReadOnlyList<string>? Acknowledge { get; init; }
}
