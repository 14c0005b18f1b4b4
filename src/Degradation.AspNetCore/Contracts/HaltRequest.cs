namespace Degradation.AspNetCore.Contracts;

/// <summary>
/// Body of POST <c>halt</c>, the kill switch: Halt with no time limit, until released. There is no TTL and no
/// operator field (the operator is the authenticated principal).
/// </summary>
public sealed class HaltRequest
{
    /// <summary>Why (required, audited).</summary>
    public string? Reason { get; init; }
    /// <summary>
    /// Optional: the <c>sequence</c> the operator was looking at; refused with 409 when the state has moved on. A Halt only
    /// tightens, so clients normally leave it out and the Halt is never refused for staleness.
    /// </summary>
    public long? ExpectedSequence { get; init; }
}
