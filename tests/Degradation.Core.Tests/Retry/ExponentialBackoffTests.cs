namespace Degradation.Tests.Retry;

public class ExponentialBackoffTests
{
    [Fact]
    public void The_series_doubles_from_the_base_and_stops_at_the_cap()
    {
        var backoff = new ExponentialBackoff(TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(5));
        Assert.Equal([1000, 2000, 4000, 5000, 5000], backoff.Series(5).Select(d => d.TotalMilliseconds));
    }

    [Fact]
    public void Recovery_backoff_comes_from_the_options()
    {
        var backoff = ExponentialBackoff.ForRecovery(new DegradationOptions { Recovery = { BackoffBase = TimeSpan.FromMilliseconds(250), BackoffMax = TimeSpan.FromMilliseconds(1500) } });
        Assert.Equal([250, 500, 1000, 1500], backoff.Series(4).Select(d => d.TotalMilliseconds));
    }

    [Fact]
    public void Huge_retry_numbers_do_not_overflow()
    {
        var backoff = new ExponentialBackoff(TimeSpan.FromDays(1), TimeSpan.MaxValue);
        Assert.Equal(TimeSpan.MaxValue, backoff.DelayBeforeRetry(int.MaxValue));
    }

    [Fact]
    public void Bad_values_are_rejected()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new ExponentialBackoff(TimeSpan.Zero, TimeSpan.FromSeconds(1)));
        Assert.Throws<ArgumentOutOfRangeException>(() => new ExponentialBackoff(TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(1)));
        Assert.Throws<ArgumentOutOfRangeException>(() => new ExponentialBackoff(TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(1)).DelayBeforeRetry(0));
    }
}
