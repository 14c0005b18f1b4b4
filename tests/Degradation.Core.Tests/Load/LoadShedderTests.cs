using Microsoft.Extensions.Time.Testing;
using Degradation.Testing;

namespace Degradation.Tests.Load;

public class LoadShedderTests
{
    private static readonly LoadSheddingOptions Tiers = new()
    {
        Tier1Symbols = ["BHP", "CBA", "CSL"],
        Tier2Symbols = ["REA", "QAN", "CBA"], // CBA in both: tier 1 wins
    };

    // The default table: which priorities each level processes.
    [Theory]
    [InlineData(LoadLevel.Normal, true, true, true, true)]
    [InlineData(LoadLevel.Soft, true, true, true, true)]
    [InlineData(LoadLevel.Graceful, true, true, true, false)]
    [InlineData(LoadLevel.Aggressive, true, true, false, false)]
    [InlineData(LoadLevel.CircuitBreak, true, false, false, false)]
    public void Level_to_priority_table_is_the_default(LoadLevel level, bool critical, bool high, bool normal, bool low)
    {
        var shedder = new LoadShedder(Tiers);
        Assert.Equal(critical, shedder.ShouldProcess(MessagePriority.Critical, level));
        Assert.Equal(high, shedder.ShouldProcess(MessagePriority.High, level));
        Assert.Equal(normal, shedder.ShouldProcess(MessagePriority.Normal, level));
        Assert.Equal(low, shedder.ShouldProcess(MessagePriority.Low, level));
        // and the same through symbols and data kinds
        Assert.Equal(critical, shedder.ShouldProcess("BHP", level));
        Assert.Equal(high, shedder.ShouldProcess("REA", level));
        Assert.Equal(normal, shedder.ShouldProcess("ZZZ", level, MarketDataKind.Quotes));
        Assert.Equal(low, shedder.ShouldProcess("BHP", level, MarketDataKind.ReferenceData));
    }

    [Fact]
    public void Priority_comes_from_tier_and_data_kind()
    {
        var shedder = new LoadShedder(Tiers);
        Assert.Equal(MessagePriority.Critical, shedder.GetPriority("BHP"));
        Assert.Equal(MessagePriority.Critical, shedder.GetPriority("CBA"));
        Assert.Equal(MessagePriority.High, shedder.GetPriority("QAN", MarketDataKind.Quotes));
        Assert.Equal(MessagePriority.Normal, shedder.GetPriority("XYZ"));
        Assert.Equal(MessagePriority.Normal, shedder.GetPriority("bhp")); // ordinal, case-sensitive
        Assert.Equal(MessagePriority.Low, shedder.GetPriority("BHP", MarketDataKind.ReferenceData));
        Assert.DoesNotContain("CBA", (IReadOnlySet<string>)shedder.Tier2);
    }

    [Fact]
    public void Shed_messages_are_counted_by_priority_and_processed_ones_are_not()
    {
        var shedder = new LoadShedder(Tiers);
        foreach (var symbol in new[] { "BHP", "REA", "XYZ", "ABC" }) shedder.ShouldProcess(symbol, LoadLevel.Aggressive);
        shedder.ShouldProcess("BHP", LoadLevel.Aggressive, MarketDataKind.ReferenceData);
        shedder.ShouldProcess("REA", LoadLevel.CircuitBreak);
        shedder.ShouldProcess("XYZ", LoadLevel.Normal);
        var counters = shedder.Counters;
        Assert.Equal(new LoadShedderCounters(0, 1, 2, 1), counters);
        Assert.Equal(4, counters.TotalShed);
        Assert.Equal(2, counters[MessagePriority.Normal]);
    }

    [Fact]
    public void Shed_statistics_preview_a_level_without_counting()
    {
        var shedder = new LoadShedder(Tiers);
        var symbols = new[] { "BHP", "CBA", "REA", "XYZ", "ABC" };
        Assert.Equal(new ShedStatistics(5, 5, 0), shedder.GetShedStats(symbols, LoadLevel.Soft));
        Assert.Equal(new ShedStatistics(5, 3, 2), shedder.GetShedStats(symbols, LoadLevel.Aggressive));
        var atBreak = shedder.GetShedStats(symbols, LoadLevel.CircuitBreak);
        Assert.Equal(new ShedStatistics(5, 2, 3), atBreak);
        Assert.Equal(60, atBreak.ShedPercentage, 6);
        Assert.Equal(0, shedder.GetShedStats([], LoadLevel.CircuitBreak).ShedPercentage);
        Assert.Equal(0, shedder.Counters.TotalShed);
    }

    [Fact]
    public void The_table_is_configurable_per_level()
    {
        var shedder = new LoadShedder(new LoadSheddingOptions
        {
            Tier1Symbols = ["BHP"],
            LowestPriorityProcessed = { [LoadLevel.Soft] = MessagePriority.Normal, [LoadLevel.CircuitBreak] = MessagePriority.High },
        });
        Assert.Equal(MessagePriority.Normal, shedder.LowestProcessed(LoadLevel.Soft));
        Assert.False(shedder.ShouldProcess("BHP", LoadLevel.Soft, MarketDataKind.ReferenceData));
        Assert.True(shedder.ShouldProcess(MessagePriority.High, LoadLevel.CircuitBreak));
        Assert.Equal(MessagePriority.Normal, shedder.LowestProcessed(LoadLevel.Graceful)); // untouched entries keep the default
    }

    [Fact]
    public void Uses_the_attached_monitors_level()
    {
        var monitor = new LoadLevelMonitor(timeProvider: new FakeTimeProvider(FakeTimeProviderExtensions.TestStart));
        var shedder = new LoadShedder(Tiers, monitor);
        Assert.True(shedder.ShouldProcess("XYZ"));
        monitor.Evaluate(1_000_000, 0);
        Assert.False(shedder.ShouldProcess("XYZ"));
        Assert.True(shedder.ShouldProcess("QAN"));
        Assert.Throws<InvalidOperationException>(() => new LoadShedder(Tiers).ShouldProcess("XYZ"));
    }

    [Fact]
    public void ShouldProcess_allocates_nothing()
    {
        var shedder = new LoadShedder(Tiers);
        Assert.Equal(0, Allocations.AfterWarmUp(shedder, static s => Run(s)));

        static void Run(LoadShedder s)
        {
            s.ShouldProcess("BHP", LoadLevel.CircuitBreak);
            s.ShouldProcess("XYZ", LoadLevel.Graceful);
            s.ShouldProcess("XYZ", LoadLevel.CircuitBreak, MarketDataKind.ReferenceData);
            s.ShouldProcess(MessagePriority.Low, LoadLevel.Aggressive);
        }
    }

    [Fact]
    public void Bad_input_is_rejected_clearly()
    {
        var shedder = new LoadShedder(Tiers);
        Assert.Equal("level", Assert.Throws<ArgumentOutOfRangeException>(() => shedder.ShouldProcess("BHP", (LoadLevel)9)).ParamName);
        Assert.Throws<ArgumentNullException>(() => shedder.ShouldProcess(null!, LoadLevel.CircuitBreak));
        var ex = Assert.Throws<DegradationOptionsException>(() => new LoadShedder(new LoadSheddingOptions
        {
            Tier1Symbols = [" "],
            LowestPriorityProcessed = { [(LoadLevel)7] = MessagePriority.Low, [LoadLevel.Soft] = (MessagePriority)9 },
        }));
        Assert.Contains(ex.Failures, f => f.Contains("Tier1Symbols"));
        Assert.Contains(ex.Failures, f => f.Contains("unknown level '7'"));
        Assert.Contains(ex.Failures, f => f.Contains("LowestPriorityProcessed:Soft") && f.Contains("'9'"));
    }
}
