using System.Collections.Concurrent;

namespace TradingHost.Simulation;

/// <summary>The positions the strategy believes it holds (what reconciliation compares with the broker).</summary>
public sealed class PositionBook
{
    private readonly ConcurrentDictionary<string, decimal> _positions = new(StringComparer.Ordinal);

    public void Apply(string symbol, decimal quantity) => _positions.AddOrUpdate(symbol, quantity, (_, q) => q + quantity);

    public IReadOnlyDictionary<string, decimal> Snapshot() => new Dictionary<string, decimal>(_positions, StringComparer.Ordinal);
}
