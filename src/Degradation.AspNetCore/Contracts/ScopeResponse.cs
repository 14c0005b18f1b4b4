namespace Degradation.AspNetCore.Contracts;

/// <summary>One scope of the scope tree: its own mode and its effective mode (the strictest of it and its ancestors).</summary>
public sealed class ScopeResponse
{
    /// <summary>The scope's path, e.g. <c>venue-a/acct-1/strat-x</c>; empty for the process.</summary>
    public required string Path { get; init; }
    /// <summary>The scope's name (<c>process</c> for the process).</summary>
    public required string Name { get; init; }
    /// <summary><c>process</c>, <c>venue</c>, <c>account</c> or <c>strategy</c>.</summary>
    public required string Level { get; init; }
    /// <summary>The parent's path, or null for the process.</summary>
    public string? Parent { get; init; }
    /// <summary>The scope's own mode (wire name).</summary>
    public required string Mode { get; init; }
    /// <summary>The scope's own recovery stage, in Recovering.</summary>
    public string? Stage { get; init; }
    /// <summary>The effective mode the scope trades under (wire name).</summary>
    public required string EffectiveMode { get; init; }
    /// <summary>The effective recovery stage, when the effective mode is Recovering.</summary>
    public string? EffectiveStage { get; init; }
    /// <summary>The reason code of the effective mode.</summary>
    public required string Reason { get; init; }
    /// <summary>The path of the scope whose mode is effective (this scope or the ancestor that restricts it most).</summary>
    public required string GovernedBy { get; init; }
    /// <summary>The actions the scope may take now (wire names).</summary>
    public required IReadOnlyList<string> AllowedActions { get; init; }
    /// <summary>True while an operator override is active on the scope's own state machine.</summary>
    public required bool IsOverride { get; init; }
    /// <summary>When that override expires.</summary>
    public DateTimeOffset? OverrideExpiresAt { get; init; }
    /// <summary>The sequence of the scope's last transition: pass it back as <c>expected_sequence</c> to act on what you saw.</summary>
    public required long Sequence { get; init; }
    /// <summary>The scope's active conditions, per component.</summary>
    public required IReadOnlyList<ScopeConditionResponse> Conditions { get; init; }
}
