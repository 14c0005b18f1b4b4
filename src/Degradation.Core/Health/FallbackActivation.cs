namespace Degradation.Health;

/// <summary>A fallback was activated or deactivated for a component.</summary>
/// <param name="Component">The component.</param>
/// <param name="Fallback">The fallback's name.</param>
/// <param name="Active">True when activated.</param>
/// <param name="Issue">Why it was activated (null on deactivation).</param>
/// <param name="Error">The strategy's exception, if it threw (the fallback still counts as active or inactive).</param>
public sealed record FallbackActivation(ComponentId Component, string Fallback, bool Active, string? Issue, Exception? Error);
