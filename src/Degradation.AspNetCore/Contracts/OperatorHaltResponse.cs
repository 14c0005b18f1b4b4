namespace Degradation.AspNetCore.Contracts;

/// <summary>An operator Halt in force (the kill switch): it has no TTL and stays until released.</summary>
public sealed class OperatorHaltResponse
{
    /// <summary>Who halted.</summary>
    public required string OperatorId { get; init; }
    /// <summary>Why.</summary>
    public required string Reason { get; init; }
    /// <summary>When.</summary>
    public required DateTimeOffset Since { get; init; }
}
