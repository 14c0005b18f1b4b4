namespace Degradation.Health;

/// <summary>
/// A fallback strategy that takes over while a component is down (for example: orderbook WebSocket down → REST polling).
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

    /// <summary>
    /// Refresh the data the fallback serves (e.g. poll the REST snapshot again). Called while the fallback is active, every
    /// <see cref="FallbackOptions.RefreshInterval"/> (30 s by default); does nothing unless implemented.
    /// </summary>
    void RefreshData(ComponentId component)
    {
    }

    /// <summary>What the strategy does, for health reports (e.g. "Fetches orderbook snapshots over the REST API"); null when not described.</summary>
    string? Description => null;

    /// <summary>What the application loses while the strategy serves, for health reports (e.g. "Price updates every 30 s instead of real time"); null when not described.</summary>
    string? Impact => null;
}
