using Degradation.Storage.File.Format;

namespace Degradation.Storage.File.Segments;

/// <summary>
/// The unreplayed records of one segment, in sequence order. Append-only; <see cref="Head"/> moves forward as
/// records are replayed. Snapshots stay valid while records are added (a growth copies into a new array).
/// Guarded by the store's state lock.
/// </summary>
internal sealed class RecordIndex
{
    private RecordInfo[] _items = [];
    private int _count;

    /// <summary>Index of the first unreplayed record.</summary>
    public int Head { get; set; }

    public int Count => _count;

    public bool HasUnreplayed => Head < _count;

    public ref readonly RecordInfo this[int index] => ref _items[index];

    public void Add(in RecordInfo info)
    {
        if (_count == _items.Length) Array.Resize(ref _items, Math.Max(64, _items.Length * 2));
        _items[_count++] = info;
    }

    public (RecordInfo[] Items, int Count) Snapshot() => (_items, _count);

    /// <summary>The index of the first record (at or after <see cref="Head"/>) with a sequence above <paramref name="sequence"/>.</summary>
    public int FirstAfter(long sequence)
    {
        int lo = Head, hi = _count;
        while (lo < hi)
        {
            var mid = lo + ((hi - lo) >> 1);
            if (_items[mid].Sequence <= sequence) lo = mid + 1;
            else hi = mid;
        }
        return lo;
    }
}
