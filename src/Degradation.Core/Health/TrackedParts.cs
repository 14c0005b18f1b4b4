namespace Degradation.Health;

/// <summary>Copy-on-write list of parts a report reads; readers take the array without locking.</summary>
internal sealed class TrackedParts<T> where T : class
{
    private readonly object _lock = new();
    private T[] _items = [];

    public T[] Items => Volatile.Read(ref _items);

    public IDisposable Add(T item)
    {
        ArgumentNullException.ThrowIfNull(item);
        lock (_lock) Volatile.Write(ref _items, [.. _items, item]);
        return new Removal(this, item);
    }

    private void Remove(T item)
    {
        lock (_lock) Volatile.Write(ref _items, [.. _items.Where(i => !ReferenceEquals(i, item))]);
    }

    private sealed class Removal(TrackedParts<T> parts, T item) : IDisposable
    {
        private int _disposed;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _disposed, 1) == 0) parts.Remove(item);
        }
    }
}
