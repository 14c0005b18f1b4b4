namespace Degradation.AspNetCore.Contracts;

/// <summary>Body of POST <c>release</c>.</summary>
public sealed class ReleaseRequest
{
    /// <summary><c>override</c> (end the active override; the mode is re-derived) or <c>halt</c> (clear Halt conditions; leads to recovering).</summary>
    public string? Target { get; init; }
    /// <summary>Why (required, audited).</summary>
    public string? Reason { get; init; }
    /// <summary>The <c>sequence</c> the operator was looking at; refused with 409 when the state has moved on since. Null skips the check.</summary>
    public long? ExpectedSequence { get; init; }
    /// <summary>For target <c>halt</c>: the reasons of the Halt conditions the release goes past (see <see cref="ReleaseHaltRequest.Acknowledge"/>).</summary>
    public IReadOnlyList<string>? Acknowledge { get; init; }
}
