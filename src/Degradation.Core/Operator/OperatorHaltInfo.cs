namespace Degradation.Operator;

/// <summary>An operator Halt (the kill switch): no TTL, it stays until an operator releases it.</summary>
public sealed record OperatorHaltInfo
{
    /// <summary>Who halted.</summary>
    public required string OperatorId { get; init; }
    /// <summary>Why.</summary>
    public required string Reason { get; init; }
    /// <summary>Wall time the Halt was ordered.</summary>
    public required DateTimeOffset Since { get; init; }
}
