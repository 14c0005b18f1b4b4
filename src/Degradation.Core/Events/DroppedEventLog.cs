using Degradation.Collections;

namespace Degradation.Events;

/// <summary>
/// The fallback record of events the bus dropped: the most recent drops, bounded, so an
/// overwhelmed bus still leaves evidence of what it lost. Thread-safe.
/// </summary>
public sealed class DroppedEventLog
{
    private readonly BoundedHistory<SystemEvent> _ring;
    private readonly object _lock = new();

    /// <summary>Creates a log that keeps the last <paramref name="capacity"/> drops.</summary>
    public DroppedEventLog(int capacity = 256)
    {
        _ring = new BoundedHistory<SystemEvent>(capacity);
    }

    /// <summary>Every drop ever recorded.</summary>
    public long Total { get { lock (_lock) return _ring.TotalAdded; } }

    internal void Record(in SystemEvent dropped)
    {
        lock (_lock) _ring.Add(dropped);
    }

    /// <summary>
    /// The drops recorded after the first <paramref name="seen"/> ones (a previous <see cref="DroppedEventsSince.Total"/>),
    /// read atomically with the new total, for a reader that copies drops somewhere durable.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="seen"/> is negative.</exception>
    public DroppedEventsSince ReadSince(long seen)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(seen);
        lock (_lock)
        {
            var total = _ring.TotalAdded;
            var fresh = Math.Max(0, total - seen);
            var retained = (int)Math.Min(fresh, _ring.Count);
            return new DroppedEventsSince(_ring.Newest(retained), fresh - retained, total);
        }
    }

    /// <summary>The retained drops, oldest first.</summary>
    public IReadOnlyList<SystemEvent> Snapshot()
    {
        lock (_lock) return _ring.ToArray();
    }
}
