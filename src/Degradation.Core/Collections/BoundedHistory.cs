using System.Diagnostics.CodeAnalysis;

namespace Degradation.Collections;

/// <summary>
/// The newest <see cref="Capacity"/> items of a sequence, oldest evicted first: the one ring buffer behind every
/// retained history (mode transitions, audit entries, fallback and load changes, feature levels, dropped events).
/// Not thread-safe: each owner guards it with the lock that already orders its changes.
/// </summary>
internal sealed class BoundedHistory<T>
{
    private readonly T[] _items;
    private int _start;
    private int _count;
    private long _total;

    /// <exception cref="ArgumentOutOfRangeException"><paramref name="capacity"/> is not positive.</exception>
    public BoundedHistory(int capacity)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(capacity);
        _items = new T[capacity];
    }

    /// <summary>How many items are retained at most.</summary>
    public int Capacity => _items.Length;

    /// <summary>How many items are retained now.</summary>
    public int Count => _count;

    /// <summary>Every item ever added, evicted ones included.</summary>
    public long TotalAdded => _total;

    /// <summary>Adds <paramref name="item"/> as the newest, evicting the oldest when full.</summary>
    public void Add(T item) => Add(item, out _);

    /// <summary>Adds <paramref name="item"/> as the newest; true (with the item) when the oldest was evicted to make room.</summary>
    public bool Add(T item, [MaybeNullWhen(false)] out T evicted)
    {
        _total++;
        if (_count < _items.Length)
        {
            _items[(_start + _count++) % _items.Length] = item;
            evicted = default;
            return false;
        }
        evicted = _items[_start];
        _items[_start] = item;
        _start = (_start + 1) % _items.Length;
        return true;
    }

    /// <summary>The newest item, if any.</summary>
    public bool TryGetNewest([MaybeNullWhen(false)] out T newest)
    {
        if (_count == 0)
        {
            newest = default;
            return false;
        }
        newest = _items[(_start + _count - 1) % _items.Length];
        return true;
    }

    /// <summary>The retained items, oldest first.</summary>
    public T[] ToArray() => Newest(_count);

    /// <summary>The newest <paramref name="count"/> retained items (fewer when fewer are retained), oldest first.</summary>
    public T[] Newest(int count)
    {
        count = Math.Clamp(count, 0, _count);
        var result = new T[count];
        var first = _count - count;
        for (var i = 0; i < count; i++) result[i] = _items[(_start + first + i) % _items.Length];
        return result;
    }

    /// <summary>A page of the retained items, newest first: <paramref name="take"/> items after skipping the newest <paramref name="skip"/>.</summary>
    public T[] PageNewestFirst(int skip, int take)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(skip);
        ArgumentOutOfRangeException.ThrowIfNegative(take);
        var count = (int)Math.Clamp((long)_count - skip, 0, take);
        var result = new T[count];
        for (var i = 0; i < count; i++) result[i] = _items[(_start + _count - 1 - skip - i) % _items.Length];
        return result;
    }
}
