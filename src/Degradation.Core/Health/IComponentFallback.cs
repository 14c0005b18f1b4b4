namespace Degradation;

/// <summary>
/// A fallback strategy that takes over while a component is down (seed 004: orderbook WebSocket down → REST polling).
/// Name it in <see cref="ComponentOptions.Fallback"/> and register it with a <see cref="ComponentFallbackCoordinator"/>.
/// Activate and Deactivate should be quick (start or stop a loop, flip a switch); they run on the coordinator's thread.
/// </summary>
public interface IComponentFallback
{
    /// <summary>The strategy's name, as used in <see cref="ComponentOptions.Fallback"/>.</summary>
    string Name { get; }

    /// <summary>The component failed: take over. <paramref name="issue"/> describes why.</summary>
    void Activate(ComponentId component, string issue);

    /// <summary>The component is healthy again: stand down.</summary>
    void Deactivate(ComponentId component);
}
