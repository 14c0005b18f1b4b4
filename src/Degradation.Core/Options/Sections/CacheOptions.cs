namespace Degradation;

/// <summary>Staleness of the caches trading falls back on (section <c>Degradation:Caches</c>).</summary>
public sealed class CacheOptions : OptionsSection
{
    /// <summary>Position cache entries older than this are stale.</summary>
    [ValidDuration]
    public TimeSpan PositionStaleAfter { get; set => field = Settable(value); } = TimeSpan.FromSeconds(30);

    /// <summary>Market data cache entries older than this are stale.</summary>
    [ValidDuration]
    public TimeSpan MarketDataStaleAfter { get; set => field = Settable(value); } = TimeSpan.FromSeconds(10);
}
