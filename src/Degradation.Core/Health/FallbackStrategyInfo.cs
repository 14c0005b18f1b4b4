namespace Degradation.Health;

/// <summary>A component's fallback strategy as a health report shows it: what takes over and what that costs.</summary>
/// <param name="Name">The strategy's name, e.g. <c>"rest_api_polling"</c>.</param>
/// <param name="Description">What the strategy does, from <see cref="IComponentFallback.Description"/>; null when not described.</param>
/// <param name="Impact">What the application loses while it serves, from <see cref="IComponentFallback.Impact"/>; null when not described.</param>
/// <param name="Active">True while the strategy is serving for the component.</param>
public sealed record FallbackStrategyInfo(string Name, string? Description, string? Impact, bool Active);
