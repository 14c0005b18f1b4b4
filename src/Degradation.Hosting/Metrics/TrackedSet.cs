using Degradation.Health;

namespace Degradation.Hosting;

/// <summary>
/// The parts an observable instrument reports on. Copy-on-write, so the meter's collection thread reads a
/// stable array without locking while parts are added and removed.
/// </summary>
internal sealed class TrackedSet<T> where T : class
{
    private readonly object _lock = new();
    private T[] _items = [];

    public T[] Items => Volatile.Read(ref _items);

    /// <summary>Adds <paramref name="item"/>; disposing the result removes it (once).</summary>
    public IDisposable Add(T item, Action? onRemove = null)
    {
        lock (_lock) Volatile.Write(ref _items, [.. _items, item]);
        return new Removal(this, item, onRemove);
    }

    private void Remove(T item)
    {
        lock (_lock) Volatile.Write(ref _items, [.. _items.Where(i => !ReferenceEquals(i, item))]);
    }

    private sealed class Removal(TrackedSet<T> set, T item, Action? onRemove) : IDisposable
    {
        private int _disposed;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _disposed, 1) != 0) return;
            onRemove?.Invoke();
            set.Remove(item);
        }
    }
}
