namespace Degradation.Tests.State;

/// <summary>Rule 9 in docs/RULES.md, TTL and staleness: stale status is not health.</summary>
public class StalenessTests
{
    private static readonly TimeSpan Epsilon = TimeSpan.FromMilliseconds(1);

    /// <summary>Normal, with broker and risk kept fresh by a long TTL and market data on a 5 s TTL.</summary>
    private static SystemDriver NormalWithShortMarketDataTtl()
    {
        using var driver = SystemDriver.Create().ToNormal();
        driver.Heartbeat(ComponentId.Broker, TimeSpan.FromHours(1)).Heartbeat(ComponentId.Risk, TimeSpan.FromHours(1));
        driver.Heartbeat(ComponentId.MarketData, TimeSpan.FromSeconds(5));
        return driver;
    }

    [Fact]
    public void A_critical_component_silent_past_its_TTL_becomes_Unknown_and_escalates_to_SafeMode()
    {
        using var driver = NormalWithShortMarketDataTtl();
        driver.Advance(TimeSpan.FromSeconds(5)).Expect(SystemMode.Normal); // TTL not yet exceeded
        driver.Advance(Epsilon).Expect(SystemMode.SafeMode);
        Assert.Equal(ReasonCode.ComponentStale, driver.Last.Reason);
        Assert.Equal(ComponentId.MarketData, driver.Last.Component);
        var status = driver.Machine.GetComponent(ComponentId.MarketData)!;
        Assert.Equal(ComponentLevel.Unknown, status.Level);
        Assert.Contains(status.Conditions, c => c.Reason == ReasonCode.ComponentStale && c.Mode == SystemMode.SafeMode);
        Assert.Equal(ComponentLevel.Healthy, driver.Machine.GetComponent(ComponentId.Broker)!.Level);
    }

    [Fact]
    public void The_default_TTL_is_ComponentStatusTtlSeconds()
    {
        using var driver = SystemDriver.Create(o => o.Status.ComponentTtl = TimeSpan.FromSeconds(20)).ToNormal(); // heartbeats at t0, Normal at t0+10
        driver.Advance(TimeSpan.FromSeconds(10)).Expect(SystemMode.Normal);
        driver.Advance(Epsilon).Expect(SystemMode.SafeMode);
    }

    [Fact]
    public void A_registered_component_TTL_overrides_the_default()
    {
        using var driver = SystemDriver.Create(o =>
        {
            o.Status.ComponentTtl = TimeSpan.FromSeconds(30);
            o.Components["risk"] = new ComponentOptions { Critical = true, StatusTtl = TimeSpan.FromSeconds(12) };
        }).ToNormal();
        driver.Heartbeat(ComponentId.Broker).Heartbeat(ComponentId.MarketData);
        driver.Advance(TimeSpan.FromSeconds(2)).Expect(SystemMode.Normal);
        driver.Advance(Epsilon).Expect(SystemMode.SafeMode);
        Assert.Equal(ComponentId.Risk, driver.Last.Component);
    }

    [Fact]
    public void Heartbeats_keep_a_component_fresh()
    {
        using var driver = NormalWithShortMarketDataTtl();
        for (var i = 0; i < 20; i++)
        {
            driver.Advance(TimeSpan.FromSeconds(4));
            driver.Heartbeat(ComponentId.MarketData, TimeSpan.FromSeconds(5));
        }
        driver.Expect(SystemMode.Normal);
    }

    [Fact]
    public void An_optional_component_going_stale_is_Unknown_and_holds_the_system_at_Degraded_without_escalating()
    {
        using var driver = SystemDriver.Create().ToNormal();
        driver.Heartbeat(ComponentId.Db, TimeSpan.FromSeconds(2));
        driver.Advance(TimeSpan.FromSeconds(3));
        driver.Expect(SystemMode.Degraded);
        Assert.Equal(ReasonCode.ComponentStale, driver.Last.Reason);
        Assert.Equal(ComponentLevel.Unknown, driver.Machine.GetComponent(ComponentId.Db)!.Level);
        driver.Advance(TimeSpan.FromMinutes(10)).Expect(SystemMode.Degraded); // Unknown blocks Normal however long it lasts

        driver.Heartbeat(ComponentId.Db); // its own report clears the staleness; Normal is earned again
        driver.Advance(driver.RecoveryStable).Expect(SystemMode.Normal);
    }

    [Fact]
    public void Failure_conditions_stay_active_while_a_component_is_stale()
    {
        using var driver = SystemDriver.Create().ToNormal();
        driver.Heartbeat(ComponentId.Broker, TimeSpan.FromHours(1)).Heartbeat(ComponentId.Risk, TimeSpan.FromHours(1));
        driver.Apply(EventType.QualityDegraded, ComponentId.MarketData, ReasonCode.MarketDataQualityLow, TimeSpan.FromSeconds(2));
        driver.Advance(TimeSpan.FromSeconds(3));
        var conditions = driver.Machine.GetComponent(ComponentId.MarketData)!.Conditions;
        Assert.Contains(conditions, c => c.Reason == ReasonCode.MarketDataQualityLow);
        Assert.Contains(conditions, c => c.Reason == ReasonCode.ComponentStale);
    }

    [Fact]
    public void Reporting_again_clears_the_stale_condition_but_SafeMode_still_dwells_and_recovers_through_Recovering()
    {
        using var driver = NormalWithShortMarketDataTtl();
        driver.Advance(TimeSpan.FromSeconds(6)).Expect(SystemMode.SafeMode);
        driver.Heartbeat(ComponentId.MarketData, TimeSpan.FromHours(1));
        Assert.Empty(driver.Machine.GetComponent(ComponentId.MarketData)!.Conditions);
        Assert.NotEqual(ComponentLevel.Unknown, driver.Machine.GetComponent(ComponentId.MarketData)!.Level);
        driver.Expect(SystemMode.SafeMode);
        driver.Advance(driver.MinSafeMode).Expect(SystemMode.Recovering, RecoveryStage.ConnectBroker);
    }

    [Fact]
    public void All_healthy_does_not_clear_the_stale_condition_of_a_still_silent_component()
    {
        using var driver = NormalWithShortMarketDataTtl();
        driver.Advance(TimeSpan.FromSeconds(6)).Expect(SystemMode.SafeMode);
        driver.Apply(EventType.Recovered, ComponentId.System, ReasonCode.AllHealthy);
        Assert.Contains(driver.Machine.GetComponent(ComponentId.MarketData)!.Conditions, c => c.Reason == ReasonCode.ComponentStale);
        driver.Advance(driver.MinSafeMode * 2).Expect(SystemMode.SafeMode); // still silent: still closed
        driver.Heartbeat(ComponentId.MarketData, TimeSpan.FromHours(1));
        driver.Advance(TimeSpan.FromMilliseconds(1)).Expect(SystemMode.Recovering);
    }

    [Fact]
    public void A_critical_component_leaving_Unknown_restarts_the_quiet_time()
    {
        using var driver = SystemDriver.Create();
        driver.Heartbeat(ComponentId.Broker).Heartbeat(ComponentId.Risk).AdvanceTo(RecoveryStage.Ready);
        driver.Advance(driver.RecoveryStable * 3).Expect(SystemMode.Recovering, RecoveryStage.Ready);
        driver.Heartbeat(ComponentId.MarketData).Expect(SystemMode.Recovering, RecoveryStage.Ready); // not at once
        driver.Advance(driver.RecoveryStable - Epsilon).Expect(SystemMode.Recovering, RecoveryStage.Ready);
        driver.Advance(Epsilon).Expect(SystemMode.Normal);
    }

    [Fact]
    public void A_never_reported_critical_component_is_Unknown_and_blocks_Normal()
    {
        using var driver = SystemDriver.Create();
        driver.Heartbeat(ComponentId.Broker).Heartbeat(ComponentId.Risk).AdvanceTo(RecoveryStage.Ready);
        driver.Advance(driver.RecoveryStable * 3).Expect(SystemMode.Recovering, RecoveryStage.Ready);
        Assert.Equal(ComponentLevel.Unknown, driver.Machine.GetComponent(ComponentId.MarketData)!.Level);
        driver.Heartbeat(ComponentId.Broker).Heartbeat(ComponentId.Risk).Heartbeat(ComponentId.MarketData);
        driver.Advance(driver.RecoveryStable).Expect(SystemMode.Normal);
    }

    [Fact]
    public void An_operator_cannot_complete_recovery_while_a_critical_component_is_Unknown()
    {
        // Rule 9: Unknown blocks leaving Recovering for Normal, the operator's completion command included.
        using var driver = SystemDriver.Create(o => o.Recovery.AutoToNormal = false);
        driver.Heartbeat(ComponentId.Broker).Heartbeat(ComponentId.Risk).AdvanceTo(RecoveryStage.Ready);
        var error = Assert.Throws<InvalidOperationException>(() => driver.Machine.CompleteRecovery(SystemDriver.Operator));
        Assert.Contains("market_data", error.Message);
        driver.Apply(EventType.Recovered, ComponentId.System, ReasonCode.RecoveryComplete);
        driver.Expect(SystemMode.Recovering, RecoveryStage.Ready);
        driver.Heartbeat(ComponentId.MarketData);
        driver.Expect(SystemMode.Recovering, RecoveryStage.Ready); // the refused completion is not remembered
        driver.Machine.CompleteRecovery(SystemDriver.Operator);
        driver.Expect(SystemMode.Normal);
    }

    [Fact]
    public void Never_reported_optional_components_do_not_block_Normal()
    {
        using var driver = SystemDriver.Create(o => o.Components["news"] = new ComponentOptions { Critical = false }).ToNormal();
        Assert.Equal(ComponentLevel.Unknown, driver.Machine.GetComponent(ComponentId.Db)!.Level);
        Assert.Equal(ComponentLevel.Unknown, driver.Machine.GetComponent(new ComponentId("news"))!.Level);
    }

    [Fact]
    public void A_registered_critical_component_that_never_reported_blocks_Normal()
    {
        var orderBook = new ComponentId("orderbook-ws");
        using var driver = SystemDriver.Create(o => o.Components[orderBook.Name] = new ComponentOptions { Critical = true });
        foreach (var c in SystemDriver.CriticalComponents) driver.Heartbeat(c);
        driver.AdvanceTo(RecoveryStage.Ready).Advance(driver.RecoveryStable * 2).Expect(SystemMode.Recovering, RecoveryStage.Ready);
        driver.Heartbeat(orderBook).Advance(driver.RecoveryStable).Expect(SystemMode.Normal);
    }

    [Fact]
    public void Staleness_can_be_switched_off()
    {
        using var driver = SystemDriver.Create(o => { o.Status.UnknownOnTtlExpiry = false; o.Status.ComponentTtl = TimeSpan.FromSeconds(30); }).ToNormal();
        driver.Advance(TimeSpan.FromHours(1)).Expect(SystemMode.Normal);
    }

    [Fact]
    public void Staleness_is_measured_on_the_monotonic_clock()
    {
        using var driver = NormalWithShortMarketDataTtl();
        driver.Time.JumpWallClock(TimeSpan.FromHours(1));
        driver.Tick().Expect(SystemMode.Normal);
    }

    [Fact]
    public void An_event_stamped_in_the_future_counts_as_reported_now_so_its_TTL_cannot_reach_past_now_plus_TTL()
    {
        using var driver = SystemDriver.Create().ToNormal();
        var ttl = TimeSpan.FromSeconds(5);
        // A clock that runs ahead (another process's, a bad stamp) must not keep a silent component fresh for longer.
        var future = driver.Time.GetTimestamp() + (long)(TimeSpan.FromHours(1).TotalSeconds * driver.Time.TimestampFrequency);
        driver.Machine.Apply(new SystemEvent(EventType.Heartbeat, ComponentId.MarketData, default, Severity.Info,
            driver.Time.GetUtcNow(), future, ttl: ttl));
        driver.Advance(ttl).Expect(SystemMode.Normal);
        driver.Advance(TimeSpan.FromMilliseconds(1)).Expect(SystemMode.SafeMode);
        Assert.Equal(ReasonCode.ComponentStale, driver.Last.Reason);
    }
}
