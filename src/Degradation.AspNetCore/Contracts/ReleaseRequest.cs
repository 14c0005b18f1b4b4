namespace Degradation.AspNetCore.Contracts;

/// <summary>Body of POST <c>release</c>.</summary>
public sealed class ReleaseRequest
{
    /// <summary><c>override</c> (end the active override; the mode is re-derived) or <c>halt</c> (clear Halt conditions; leads to recovering).</summary>
    public string? Target { get; init; }
    /// <summary>Why (required, audited).</summary>
    public string? Reason { get; init; }
}
