namespace Degradation.AspNetCore.Contracts;

/// <summary>One active condition of a component.</summary>
public sealed class ConditionResponse
{
    /// <summary>The failure reason, e.g. <c>market_data.stale</c>.</summary>
    public required string Reason { get; init; }
    /// <summary>The mode it demands.</summary>
    public required string Mode { get; init; }
    /// <summary>When it was first raised.</summary>
    public required DateTimeOffset Since { get; init; }
}
