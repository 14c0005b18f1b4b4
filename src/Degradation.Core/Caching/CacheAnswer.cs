namespace Degradation.Caching;

/// <summary>
/// A query answered from a cache, saying whether it is the only source (SafeModeDisconnected: queries are answered
/// from cache only) and how stale it is.
/// </summary>
/// <typeparam name="TValue">The cached type.</typeparam>
/// <param name="Found">True when the cache holds the key.</param>
/// <param name="Reading">The cached reading (default when not found).</param>
/// <param name="Mode">The mode the question was asked in.</param>
/// <param name="CacheOnly">True when the gate says queries can be answered from cached data only (broker disconnected).</param>
/// <param name="Message">A human sentence: the gate's advice and the value's staleness.</param>
public readonly record struct CacheAnswer<TValue>(bool Found, CacheReading<TValue> Reading, SystemMode Mode, bool CacheOnly, string Message)
{
    /// <summary>True when a value was found and it is older than the threshold.</summary>
    public bool IsStale => Found && Reading.IsStale;
}
