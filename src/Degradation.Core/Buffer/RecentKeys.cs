namespace Degradation.Buffering;

/// <summary>A set of idempotent keys that forgets the oldest beyond a capacity (trimmed on request). Not thread-safe.</summary>
internal sealed class RecentKeys(int capacity)
{
    private readonly HashSet<string> _keys = new(StringComparer.Ordinal);
    private readonly Queue<string> _order = new();

    public int Count => _keys.Count;

    public bool Contains(string key) => _keys.Contains(key);

    public void Add(string key)
    {
        if (_keys.Add(key)) _order.Enqueue(key);
    }

    /// <summary>Forgets the oldest keys beyond the capacity.</summary>
    public void Trim()
    {
        while (_order.Count > capacity) _keys.Remove(_order.Dequeue());
    }
}
