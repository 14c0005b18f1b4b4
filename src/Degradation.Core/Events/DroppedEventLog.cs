namespace Degradation.Events;

/// <summary>
/// The fallback record of events the bus dropped: the most recent drops, bounded, so an
/// overwhelmed bus still leaves evidence of what it lost. Thread-safe.
/// </summary>
public sealed class DroppedEventLog
{
    private readonly SystemEvent[] _ring;
    private readonly object _lock = new();
    private long _total;

    /// <summary>Creates a log that keeps the last <paramref name="capacity"/> drops.</summary>
    public DroppedEventLog(int capacity = 256)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(capacity);
        _ring = new SystemEvent[capacity];
    }

    /// <summary>Every drop ever recorded.</summary>
    public long Total => Interlocked.Read(ref _total);

    internal void Record(in SystemEvent dropped)
    {
        lock (_lock)
        {
            _ring[_total % _ring.Length] = dropped;
            _total++;
        }
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
            var fresh = Math.Max(0, _total - seen);
            var retained = (int)Math.Min(fresh, _ring.Length);
            var result = new SystemEvent[retained];
            for (var i = 0; i < retained; i++) result[i] = _ring[(_total - retained + i) % _ring.Length];
            return new DroppedEventsSince(result, fresh - retained, _total);
        }
    }

    /// <summary>The retained drops, oldest first.</summary>
    public IReadOnlyList<SystemEvent> Snapshot()
    {
        lock (_lock)
        {
            var count = (int)Math.Min(_total, _ring.Length);
            var result = new SystemEvent[count];
            for (var i = 0; i < count; i++) result[i] = _ring[(_total - count + i) % _ring.Length];
            return result;
        }
    }
}
