namespace Degradation.AspNetCore.Contracts;

/// <summary>Body of POST <c>release-halt</c>: leads to <c>recovering</c>, never straight to a better or worse derived mode.</summary>
public sealed class ReleaseHaltRequest
{
    /// <summary>Why (required, audited).</summary>
    public string? Reason { get; init; }
    /// <summary>The <c>sequence</c> the operator was looking at; refused with 409 when the state has moved on since.</summary>
    public long? ExpectedSequence { get; init; }
    /// <summary>
    /// The reasons (wire names, e.g. <c>broker.mismatch</c>) of the Halt conditions an operator did not raise, which the
    /// release goes past; it must list exactly those (a 409 answer lists them).
    /// </summary>
    public IReadOnlyList<string>? Acknowledge { get; init; }
}
