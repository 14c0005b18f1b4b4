namespace Degradation.AspNetCore.Contracts;

/// <summary>One active condition of a scope's component.</summary>
public sealed class ScopeConditionResponse
{
    /// <summary>The component, e.g. <c>broker</c> (of this scope).</summary>
    public required string Component { get; init; }
    /// <summary>The reason code, e.g. <c>broker.disconnect</c>.</summary>
    public required string Reason { get; init; }
    /// <summary>The mode the condition demands (wire name).</summary>
    public required string Mode { get; init; }
    /// <summary>Since when.</summary>
    public required DateTimeOffset Since { get; init; }
}
