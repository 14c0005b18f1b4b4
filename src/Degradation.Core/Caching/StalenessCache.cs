namespace Degradation.Caching;

/// <summary>
/// A thread-safe keyed cache whose entries carry their source and monotonic capture time (docs/RULES.md, Caches). Readings say
/// how old they are and whether they are stale; <see cref="Answer"/> says so in words for queries answered while the
/// broker is disconnected. <see cref="InvalidateAll"/> (run on reconnect) drops everything and refuses values
/// captured before it, so a load that started before the reconnect cannot bring stale data back.
/// </summary>
/// <typeparam name="TKey">The key type.</typeparam>
/// <typeparam name="TValue">The cached type.</typeparam>
public sealed class StalenessCache<TKey, TValue> : IInvalidatableCache where TKey : notnull
{
    private readonly object _lock = new();
    private readonly Dictionary<TKey, Entry> _entries;
    private readonly TimeProvider _time;
    private long _invalidatedAt = long.MinValue;
    private long _invalidations;

    /// <summary>Creates a cache.</summary>
    /// <param name="name">The cache's name.</param>
    /// <param name="staleAfter">Entries older than this are stale; must be positive.</param>
    /// <param name="timeProvider">The clock.</param>
    /// <param name="comparer">Key comparer; the default one when null.</param>
    public StalenessCache(string name, TimeSpan staleAfter, TimeProvider timeProvider, IEqualityComparer<TKey>? comparer = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        if (staleAfter <= TimeSpan.Zero) throw new ArgumentOutOfRangeException(nameof(staleAfter), staleAfter, "The staleness threshold must be positive.");
        ArgumentNullException.ThrowIfNull(timeProvider);
        Name = name;
        StaleAfter = staleAfter;
        _time = timeProvider;
        _entries = new Dictionary<TKey, Entry>(comparer);
    }

    /// <summary>A position cache: stale after <see cref="CacheOptions.PositionStaleAfter"/>.</summary>
    public static StalenessCache<TKey, TValue> ForPositions(DegradationOptions options, TimeProvider timeProvider, string name = "positions")
    {
        ArgumentNullException.ThrowIfNull(options);
        return new(name, options.Caches.PositionStaleAfter, timeProvider);
    }

    /// <summary>A market data cache: stale after <see cref="CacheOptions.MarketDataStaleAfter"/>.</summary>
    public static StalenessCache<TKey, TValue> ForMarketData(DegradationOptions options, TimeProvider timeProvider, string name = "market data")
    {
        ArgumentNullException.ThrowIfNull(options);
        return new(name, options.Caches.MarketDataStaleAfter, timeProvider);
    }

    /// <inheritdoc />
    public string Name { get; }

    /// <summary>Entries older than this are stale.</summary>
    public TimeSpan StaleAfter { get; }

    /// <summary>Number of entries.</summary>
    public int Count { get { lock (_lock) return _entries.Count; } }

    /// <summary>How many times <see cref="InvalidateAll"/> ran.</summary>
    public long Invalidations => Interlocked.Read(ref _invalidations);

    /// <summary>Stores <paramref name="value"/> captured now.</summary>
    public void Set(TKey key, TValue value, string source) => TrySet(key, value, source, _time.GetTimestamp());

    /// <summary>
    /// Stores <paramref name="value"/> captured at monotonic time <paramref name="capturedAtTimestamp"/>
    /// (<see cref="TimeProvider.GetTimestamp"/> taken when the data was read from its source).
    /// Returns false, storing nothing, when it was captured before the last invalidation.
    /// </summary>
    public bool TrySet(TKey key, TValue value, string source, long capturedAtTimestamp)
    {
        ArgumentNullException.ThrowIfNull(key);
        ArgumentException.ThrowIfNullOrWhiteSpace(source);
        var now = _time.GetTimestamp();
        var capturedAt = Math.Min(capturedAtTimestamp, now);
        var wall = _time.GetUtcNow() - _time.GetElapsedTime(capturedAt, now);
        lock (_lock)
        {
            if (capturedAt < _invalidatedAt) return false;
            _entries[key] = new Entry(value, source, capturedAt, wall);
            return true;
        }
    }

    /// <summary>Reads an entry with its age and staleness.</summary>
    public bool TryGet(TKey key, out CacheReading<TValue> reading)
    {
        ArgumentNullException.ThrowIfNull(key);
        Entry entry;
        lock (_lock)
        {
            if (!_entries.TryGetValue(key, out entry!))
            {
                reading = default;
                return false;
            }
        }
        reading = new CacheReading<TValue>(entry.Value, entry.Source, _time.GetElapsedTime(entry.CapturedAt), StaleAfter, entry.WallTime);
        return true;
    }

    /// <summary>
    /// Answers a query for <paramref name="key"/> from the cache, with the gate's advice (e.g. "cached data only:
    /// broker disconnected" in SafeModeDisconnected) and how stale the value is.
    /// </summary>
    public CacheAnswer<TValue> Answer(TKey key, ITradingGate gate)
    {
        ArgumentNullException.ThrowIfNull(gate);
        var decision = gate.Check(ActionType.Query);
        var cacheOnly = decision.Mode == SystemMode.SafeModeDisconnected;
        var prefix = decision.Advice is { } advice ? advice + "; " : string.Empty;
        if (!TryGet(key, out var reading))
            return new CacheAnswer<TValue>(false, default, decision.Mode, cacheOnly, $"{prefix}{Name}: no cached value for '{key}'");
        return new CacheAnswer<TValue>(true, reading, decision.Mode, cacheOnly, $"{prefix}{Name}: '{key}' {reading.Describe()}");
    }

    /// <summary>Every entry with its reading.</summary>
    public IReadOnlyList<KeyValuePair<TKey, CacheReading<TValue>>> Snapshot()
    {
        KeyValuePair<TKey, Entry>[] entries;
        lock (_lock) entries = [.. _entries];
        var now = _time.GetTimestamp();
        return [.. entries.Select(e => KeyValuePair.Create(e.Key,
            new CacheReading<TValue>(e.Value.Value, e.Value.Source, _time.GetElapsedTime(e.Value.CapturedAt, now), StaleAfter, e.Value.WallTime)))];
    }

    /// <summary>Drops one entry.</summary>
    public bool Invalidate(TKey key)
    {
        ArgumentNullException.ThrowIfNull(key);
        lock (_lock) return _entries.Remove(key);
    }

    /// <inheritdoc />
    public int InvalidateAll()
    {
        lock (_lock)
        {
            var count = _entries.Count;
            _entries.Clear();
            _invalidatedAt = _time.GetTimestamp();
            _invalidations++;
            return count;
        }
    }

    private sealed record Entry(TValue Value, string Source, long CapturedAt, DateTimeOffset WallTime);
}
