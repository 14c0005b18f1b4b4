namespace Degradation.AspNetCore.Contracts;

/// <summary>A component's fallback strategy.</summary>
public sealed class FallbackStrategyResponse
{
    /// <summary>The strategy's name, e.g. <c>rest_api_polling</c>.</summary>
    public required string Strategy { get; init; }
    /// <summary>What it does, or null when not described.</summary>
    public string? Description { get; init; }
    /// <summary>What is lost while it serves, or null when not described.</summary>
    public string? Impact { get; init; }
    /// <summary>True while it is serving.</summary>
    public required bool Active { get; init; }
}
