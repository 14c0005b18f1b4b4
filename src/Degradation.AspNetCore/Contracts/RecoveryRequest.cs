namespace Degradation.AspNetCore.Contracts;

/// <summary>Body of POST <c>recovery/start</c> and <c>recovery/complete</c>.</summary>
public sealed class RecoveryRequest
{
    /// <summary>Why (required, audited).</summary>
    public string? Reason { get; init; }
}
