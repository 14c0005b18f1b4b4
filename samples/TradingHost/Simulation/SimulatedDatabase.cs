using System.Collections.Concurrent;

namespace TradingHost.Simulation;

/// <summary>A database that stores order records in arrival order and rejects writes while down.</summary>
public sealed class SimulatedDatabase
{
    private readonly ConcurrentQueue<string> _rows = new();
    private readonly ConcurrentDictionary<string, byte> _keys = new(StringComparer.Ordinal);
    private int _duplicates;

    public FaultSwitch Fault { get; } = new();

    public int Rows => _rows.Count;

    public int Duplicates => Volatile.Read(ref _duplicates);

    public IReadOnlyList<string> Keys => [.. _rows];

    public bool Contains(string key) => _keys.ContainsKey(key);

    public void Write(string idempotentKey)
    {
        if (Fault.IsDown) throw new DependencyUnavailableException("database");
        if (!_keys.TryAdd(idempotentKey, 0))
        {
            Interlocked.Increment(ref _duplicates);
            return;
        }
        _rows.Enqueue(idempotentKey);
    }
}
