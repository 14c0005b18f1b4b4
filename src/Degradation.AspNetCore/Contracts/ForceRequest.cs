namespace Degradation.AspNetCore.Contracts;

/// <summary>
/// Body of POST <c>force</c>. There is deliberately no operator field: the operator is the authenticated
/// principal, and an <c>operator_id</c> in the body is ignored.
/// </summary>
public sealed class ForceRequest
{
    /// <summary>The mode to force, in wire form (e.g. <c>safe_mode</c>).</summary>
    public string? Mode { get; init; }
    /// <summary>How long the override lasts, within the configured bounds.</summary>
    public double? TtlSeconds { get; init; }
    /// <summary>Why (required, audited).</summary>
    public string? Reason { get; init; }
    /// <summary>The <c>sequence</c> the operator was looking at; refused with 409 when the state has moved on since. Null skips the check.</summary>
    public long? ExpectedSequence { get; init; }
    /// <summary>
    /// To force a mode looser than the active conditions demand: exactly the reasons (wire names) of the conditions in
    /// the way (a 409 answer lists them). Not needed to tighten.
    /// </summary>
    public IReadOnlyList<string>? Acknowledge { get; init; }
}
