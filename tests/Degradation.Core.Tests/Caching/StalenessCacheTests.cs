using Degradation.Testing;
using Degradation.Tests.Scenarios;
using Microsoft.Extensions.Time.Testing;

namespace Degradation.Tests.Caching;

public class StalenessCacheTests
{
    private readonly FakeTimeProvider _time = new(FakeTimeProviderExtensions.TestStart);

    [Fact]
    public void A_reading_has_its_source_monotonic_age_and_staleness()
    {
        var time = new ControlledTimeProvider(); // its wall clock can jump alone
        var cache = StalenessCache<string, decimal>.ForPositions(new DegradationOptions { Caches = { PositionStaleAfter = TimeSpan.FromSeconds(30) } }, time);
        cache.Set("AAPL", 100m, "broker");

        time.Advance(TimeSpan.FromSeconds(30));
        Assert.True(cache.TryGet("AAPL", out var fresh));
        Assert.Equal((100m, "broker", TimeSpan.FromSeconds(30)), (fresh.Value, fresh.Source, fresh.Age));
        Assert.False(fresh.IsStale);

        time.JumpWallClock(TimeSpan.FromHours(-2)); // a wall-clock jump does not change the age
        time.Advance(TimeSpan.FromMilliseconds(1));
        Assert.True(cache.TryGet("AAPL", out var stale));
        Assert.Equal(TimeSpan.FromMilliseconds(30_001), stale.Age);
        Assert.True(stale.IsStale);
        Assert.Contains("stale: older than 30 s", stale.Describe());
    }

    [Fact]
    public void Market_data_uses_its_own_threshold()
    {
        var options = new DegradationOptions { Caches = { MarketDataStaleAfter = TimeSpan.FromSeconds(10), PositionStaleAfter = TimeSpan.FromSeconds(30) } };
        Assert.Equal(TimeSpan.FromSeconds(10), StalenessCache<string, decimal>.ForMarketData(options, _time).StaleAfter);
        Assert.Equal(TimeSpan.FromSeconds(30), StalenessCache<string, decimal>.ForPositions(options, _time).StaleAfter);
    }

    [Fact]
    public async Task In_SafeModeDisconnected_answers_say_they_come_from_cache_and_how_stale()
    {
        await using var system = TestSystems.Create(_time);
        TestSystems.DriveToNormal(system, _time);
        var cache = StalenessCache<string, decimal>.ForPositions(system.Options, _time);
        cache.Set("AAPL", 100m, "broker");
        _time.Advance(TimeSpan.FromSeconds(42));

        system.ReportFailure(ComponentId.Broker, ReasonCode.BrokerDisconnect);
        var answer = cache.Answer("AAPL", system.Gate);

        Assert.Equal(SystemMode.SafeModeDisconnected, answer.Mode);
        Assert.True(answer.Found);
        Assert.True(answer.CacheOnly);
        Assert.True(answer.IsStale);
        Assert.Equal(TimeSpan.FromSeconds(42), answer.Reading.Age);
        Assert.Contains("cached data only", answer.Message);
        Assert.Contains("42.0 s old", answer.Message);
        Assert.Contains("from broker", answer.Message);

        var missing = cache.Answer("MSFT", system.Gate);
        Assert.False(missing.Found);
        Assert.Contains("no cached value", missing.Message);
    }

    [Fact]
    public async Task In_Normal_an_answer_is_not_cache_only()
    {
        await using var system = TestSystems.Create(_time);
        TestSystems.DriveToNormal(system, _time);
        var cache = new StalenessCache<string, int>("quotes", TimeSpan.FromSeconds(1), _time);
        cache.Set("ES", 1, "feed");

        var answer = cache.Answer("ES", system.Gate);

        Assert.False(answer.CacheOnly);
        Assert.False(answer.IsStale);
    }

    [Fact]
    public void Invalidation_drops_everything_and_refuses_values_captured_before_it()
    {
        var cache = new StalenessCache<string, int>("positions", TimeSpan.FromSeconds(30), _time);
        cache.Set("A", 1, "broker");
        cache.Set("B", 2, "broker");
        var loadStartedAt = _time.GetTimestamp();
        _time.Advance(TimeSpan.FromSeconds(1));

        Assert.Equal(2, cache.InvalidateAll());
        Assert.Equal(0, cache.Count);
        Assert.False(cache.TryGet("A", out _));
        Assert.False(cache.TrySet("A", 1, "broker", loadStartedAt)); // a load that began before the reconnect
        Assert.True(cache.TrySet("A", 10, "broker", _time.GetTimestamp()));
        Assert.Equal(1, cache.Invalidations);
    }

    [Fact]
    public async Task The_invalidation_step_invalidates_every_cache()
    {
        var positions = new StalenessCache<string, int>("positions", TimeSpan.FromSeconds(30), _time);
        var quotes = new StalenessCache<string, int>("quotes", TimeSpan.FromSeconds(10), _time);
        positions.Set("A", 1, "broker");
        quotes.Set("A", 1, "feed");
        quotes.Set("B", 1, "feed");
        var step = new CacheInvalidationStep(positions, quotes);

        var result = await step.ExecuteAsync(null!, CancellationToken.None);

        Assert.Equal(RecoveryStepStatus.Succeeded, result.Status);
        Assert.Equal("invalidated positions: 1, quotes: 2", result.Details);
        Assert.Equal(0, positions.Count + quotes.Count);
    }

    [Fact]
    public void Bad_arguments_are_rejected()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new StalenessCache<string, int>("x", TimeSpan.Zero, _time));
        Assert.ThrowsAny<ArgumentException>(() => new StalenessCache<string, int>(" ", TimeSpan.FromSeconds(1), _time));
        var cache = new StalenessCache<string, int>("x", TimeSpan.FromSeconds(1), _time);
        Assert.ThrowsAny<ArgumentException>(() => cache.Set("a", 1, ""));
        Assert.Throws<ArgumentException>(() => new CacheInvalidationStep());
    }
}
