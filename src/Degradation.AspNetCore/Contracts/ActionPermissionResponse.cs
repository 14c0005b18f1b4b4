namespace Degradation.AspNetCore.Contracts;

/// <summary>The gate's decision for one action.</summary>
public sealed class ActionPermissionResponse
{
    /// <summary><c>open</c>, <c>send</c>, <c>amend</c>, <c>cancel</c>, <c>reduce_only</c> or <c>query</c>.</summary>
    public required string Action { get; init; }
    /// <summary>Whether the action may go ahead.</summary>
    public required bool Allowed { get; init; }
    /// <summary>A warning when allowed ("restricted", "best-effort") or the rejection reason when refused; null without remark.</summary>
    public string? Advice { get; init; }
}
