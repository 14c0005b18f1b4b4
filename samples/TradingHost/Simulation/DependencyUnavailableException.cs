namespace TradingHost.Simulation;

/// <summary>Thrown by a simulated dependency that is down.</summary>
public sealed class DependencyUnavailableException(string dependency, bool transient = false)
    : Exception($"{dependency} is unavailable{(transient ? " (HTTP 503)" : "")}")
{
    public string Dependency { get; } = dependency;
    public bool Transient { get; } = transient;
}
