using System.Globalization;

namespace Degradation.Caching;

/// <summary>A cached value with where it came from and how old it is (monotonic age, immune to wall-clock jumps).</summary>
/// <typeparam name="TValue">The cached type.</typeparam>
/// <param name="Value">The value.</param>
/// <param name="Source">Where it came from (e.g. "broker", "rest-poll").</param>
/// <param name="Age">How long ago it was captured, on the monotonic clock.</param>
/// <param name="StaleAfter">The cache's staleness threshold.</param>
/// <param name="CapturedAt">Wall time of capture, for display only.</param>
public readonly record struct CacheReading<TValue>(TValue Value, string Source, TimeSpan Age, TimeSpan StaleAfter, DateTimeOffset CapturedAt)
{
    /// <summary>True when the value is older than the cache's threshold.</summary>
    public bool IsStale => Age > StaleAfter;

    /// <summary>A human sentence saying how stale the value is, e.g. "from broker, 42.0 s old (stale: older than 30 s)".</summary>
    public string Describe() => string.Create(CultureInfo.InvariantCulture,
        $"from {Source}, {Age.TotalSeconds:0.0} s old ({(IsStale ? "stale: older than" : "fresh: stale after")} {StaleAfter.TotalSeconds:0.###} s)");
}
