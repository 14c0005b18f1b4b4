namespace Degradation.AspNetCore.Contracts;

/// <summary>One active condition, with its component and who raised it (status and 409 answers).</summary>
public sealed class ActiveConditionResponse
{
    /// <summary>The component, e.g. <c>broker</c>.</summary>
    public required string Component { get; init; }
    /// <summary>The reason, e.g. <c>broker.disconnect</c>: what <c>acknowledge</c> lists.</summary>
    public required string Reason { get; init; }
    /// <summary>The mode it demands, e.g. <c>safe_mode_disconnected</c>.</summary>
    public required string Mode { get; init; }
    /// <summary>Who raised it: <c>probe:broker</c>, <c>breaker:risk</c>, <c>write_buffer</c>, <c>operator:alice</c>, <c>fleet_policy</c>, …</summary>
    public required string Source { get; init; }
    /// <summary>When it was first raised.</summary>
    public required DateTimeOffset Since { get; init; }
}
