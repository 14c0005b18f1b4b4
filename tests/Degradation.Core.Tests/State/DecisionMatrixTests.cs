namespace Degradation.Tests.State;

/// <summary>docs/RULES.md, Decision matrix: every row of the decision matrix, the must-deliver set, and their configuration.</summary>
public class DecisionMatrixTests
{
    private static readonly ComponentId OrderBook = new("orderbook-ws");

    [Fact]
    public void Default_matrix_is_exactly_the_documented_table()
    {
        var expected = new Dictionary<string, SystemMode>
        {
            ["broker.disconnect"] = SystemMode.SafeModeDisconnected,
            ["broker.reconnected"] = SystemMode.Recovering,
            ["broker.mismatch"] = SystemMode.Halt,
            ["market_data.stale"] = SystemMode.SafeMode,
            ["market_data.quality_low"] = SystemMode.Degraded,
            ["risk.timeout"] = SystemMode.SafeMode,
            ["risk.breach_hard"] = SystemMode.Halt,
            ["position.unknown"] = SystemMode.Halt,
            ["db.write_fail_buffered"] = SystemMode.Degraded,
            ["db.buffer_overflow"] = SystemMode.SafeMode,
            ["alerts.channel_down"] = SystemMode.Degraded,
            ["recovery.failed"] = SystemMode.Halt,
            ["recovery.complete"] = SystemMode.Normal,
            ["all.healthy"] = SystemMode.Normal,
            ["cold_start"] = SystemMode.Recovering,
            ["component.stale"] = SystemMode.SafeMode, // well-known reason for a stale critical component (rule 9)
            ["dependency.data_corruption"] = SystemMode.Halt,        // failure types that need a person
            ["dependency.configuration_error"] = SystemMode.SafeMode,
            ["dependency.network_partition"] = SystemMode.SafeMode,
        };
        Assert.Equal(expected.OrderBy(p => p.Key), DefaultDecisionMatrix.Entries.OrderBy(p => p.Key));
        var policy = new DegradationPolicy(new DegradationOptions());
        foreach (var (reason, mode) in expected)
        {
            Assert.True(policy.TryMapReason(new ReasonCode(reason), out var mapped));
            Assert.Equal(mode, mapped);
        }
    }

    [Fact]
    public void Must_deliver_set_is_exactly_the_four_critical_reasons()
    {
        Assert.Equal(["broker.disconnect", "broker.mismatch", "position.unknown", "risk.breach_hard"], DefaultDecisionMatrix.MustDeliver.Order());
        var policy = new DegradationPolicy(new DegradationOptions());
        foreach (var reason in DefaultDecisionMatrix.Entries.Keys)
            Assert.Equal(DefaultDecisionMatrix.MustDeliver.Contains(reason), policy.IsMustDeliver(new ReasonCode(reason)));
        Assert.False(policy.IsMustDeliver(default));
    }

    public static TheoryData<string, string, SystemMode> FailureRows() => new()
    {
        { "broker", "broker.disconnect", SystemMode.SafeModeDisconnected },
        { "broker", "broker.mismatch", SystemMode.Halt },
        { "market_data", "market_data.stale", SystemMode.SafeMode },
        { "market_data", "market_data.quality_low", SystemMode.Degraded },
        { "risk", "risk.timeout", SystemMode.SafeMode },
        { "risk", "risk.breach_hard", SystemMode.Halt },
        { "broker", "position.unknown", SystemMode.Halt },
        { "db", "db.write_fail_buffered", SystemMode.Degraded },
        // db is optional: reported by db itself this is capped at Degraded (see the next test), so the
        // matrix row is shown on a critical component.
        { "orderbook-ws", "db.buffer_overflow", SystemMode.SafeMode },
        { "alerts", "alerts.channel_down", SystemMode.Degraded },
        { "system", "recovery.failed", SystemMode.Halt },
    };

    [Theory]
    [MemberData(nameof(FailureRows))]
    public void Each_failure_reason_leads_from_Normal_to_its_mode(string component, string reason, SystemMode expected)
    {
        using var driver = SystemDriver.Create(RegisterCriticalOrderBook).ToNormal();
        driver.Apply(EventType.FailCritical, new ComponentId(component), new ReasonCode(reason));
        Assert.Equal(expected, driver.Mode);
        Assert.Equal(reason, driver.Last.Reason.Value);
        Assert.Equal(component, driver.Last.Component.Name);
        Assert.Contains(driver.Machine.GetComponent(new ComponentId(component))!.Conditions, c => c.Reason.Value == reason && c.Mode == expected);
    }

    [Fact]
    public void An_optional_component_is_capped_at_Degraded_unless_the_reason_is_must_deliver_or_Halt()
    {
        using var driver = SystemDriver.Create().ToNormal();
        driver.Fail(ComponentId.Db, ReasonCode.DbBufferOverflow);
        Assert.Equal(SystemMode.Degraded, driver.Mode);
        Assert.Equal(SystemMode.Degraded, driver.Machine.GetComponent(ComponentId.Db)!.Conditions.Single().Mode);

        driver.Fail(ComponentId.Alerts, ReasonCode.BrokerDisconnect); // must-deliver: not capped
        Assert.Equal(SystemMode.SafeModeDisconnected, driver.Mode);

        using var halt = SystemDriver.Create().ToNormal();
        halt.Fail(ComponentId.Db, ReasonCode.RecoveryFailed); // Halt: not capped
        Assert.Equal(SystemMode.Halt, halt.Mode);
    }

    [Fact]
    public void A_user_registered_optional_component_is_capped_and_an_unregistered_one_too()
    {
        using var driver = SystemDriver.Create(o => o.Components["news"] = new ComponentOptions { Critical = false }).ToNormal();
        driver.Apply(EventType.FailCritical, new ComponentId("news"), ReasonCode.MarketDataStale);
        Assert.Equal(SystemMode.Degraded, driver.Mode);
        driver.Apply(EventType.FailCritical, new ComponentId("never-registered"), ReasonCode.RiskTimeout);
        Assert.Equal(SystemMode.Degraded, driver.Mode);
    }

    [Fact]
    public void Broker_reconnected_clears_the_disconnect_and_leads_to_Recovering_with_a_new_run()
    {
        using var driver = SystemDriver.Create().ToSafeModeDisconnected();
        var previousRuns = driver.Machine.GetHistory().Max(t => t.RecoveryRun?.Value ?? 0);
        driver.Advance(driver.MinSafeMode);
        Assert.Equal(SystemMode.SafeModeDisconnected, driver.Mode);
        driver.Apply(EventType.Recovered, ComponentId.Broker, ReasonCode.BrokerReconnected);
        driver.Expect(SystemMode.Recovering, RecoveryStage.ConnectBroker);
        Assert.Equal(ReasonCode.BrokerReconnected, driver.Last.Reason);
        Assert.Empty(driver.Machine.GetComponent(ComponentId.Broker)!.Conditions);
        Assert.True(driver.Run.Value > previousRuns);
        Assert.Equal(RecoveryTrigger.Auto, driver.Machine.ActiveRecoveryTrigger);
    }

    [Fact]
    public void Broker_reconnected_in_Normal_requests_a_recovery_run()
    {
        using var driver = SystemDriver.Create().ToNormal();
        driver.Apply(EventType.Recovered, ComponentId.Broker, ReasonCode.BrokerReconnected);
        driver.Expect(SystemMode.Recovering, RecoveryStage.ConnectBroker);
    }

    [Fact]
    public void Recovery_complete_leads_from_Ready_to_Normal()
    {
        using var driver = SystemDriver.Create(o => o.Recovery.AutoToNormal = false).HeartbeatCritical().AdvanceTo(RecoveryStage.Ready);
        driver.Advance(driver.RecoveryStable * 3);
        driver.Expect(SystemMode.Recovering, RecoveryStage.Ready);
        driver.Apply(EventType.Recovered, ComponentId.System, ReasonCode.RecoveryComplete);
        driver.Expect(SystemMode.Normal);
        Assert.Equal(ReasonCode.RecoveryComplete, driver.Last.Reason);
    }

    [Fact]
    public void Recovery_complete_outside_Ready_changes_nothing()
    {
        using var driver = SystemDriver.Create(o => o.Recovery.AutoToNormal = false).HeartbeatCritical().AdvanceTo(RecoveryStage.VerifyRisk);
        driver.Apply(EventType.Recovered, ComponentId.System, ReasonCode.RecoveryComplete);
        driver.AdvanceTo(RecoveryStage.Ready).Advance(1);
        driver.Expect(SystemMode.Recovering, RecoveryStage.Ready);
    }

    [Fact]
    public void All_healthy_clears_every_component_and_leads_to_Normal_after_stability()
    {
        using var driver = SystemDriver.Create().ToDegraded();
        driver.Fail(ComponentId.Db, ReasonCode.DbWriteFailBuffered);
        driver.Fail(ComponentId.MarketData, ReasonCode.MarketDataQualityLow);
        driver.Apply(EventType.Recovered, ComponentId.System, ReasonCode.AllHealthy);
        Assert.All(driver.Machine.GetComponents(), c => Assert.Empty(c.Conditions));
        Assert.Equal(SystemMode.Normal, driver.Machine.DerivedMode);
        driver.Expect(SystemMode.Degraded);
        driver.Advance(driver.RecoveryStable);
        driver.Expect(SystemMode.Normal);
        Assert.Equal(ReasonCode.AllHealthy, driver.Last.Reason);
    }

    [Fact]
    public void Cold_start_event_leads_to_Recovering_with_a_cold_start_run()
    {
        using var driver = SystemDriver.Create().ToNormal();
        var oldRun = driver.Machine.GetHistory().Last(t => t.RecoveryRun is not null).RecoveryRun!.Value;
        driver.Apply(EventType.Recovered, ComponentId.System, ReasonCode.ColdStart);
        driver.Expect(SystemMode.Recovering, RecoveryStage.ConnectBroker);
        Assert.Equal(RecoveryTrigger.ColdStart, driver.Machine.ActiveRecoveryTrigger);
        Assert.NotEqual(oldRun, driver.Run);
    }

    [Fact]
    public void Custom_reason_maps_to_its_configured_mode()
    {
        using var driver = SystemDriver.Create(o =>
        {
            RegisterCriticalOrderBook(o);
            o.DecisionMatrix["orderbook.gap"] = SystemMode.SafeMode;
            o.DecisionMatrix["orderbook.thin"] = SystemMode.Degraded;
        }).ToNormal();
        Assert.True(driver.System.Policy.TryMapReason(new ReasonCode("orderbook.gap"), out var mode));
        Assert.Equal(SystemMode.SafeMode, mode);

        driver.Apply(EventType.QualityDegraded, OrderBook, new ReasonCode("orderbook.thin"));
        Assert.Equal(SystemMode.Degraded, driver.Mode);
        driver.Apply(EventType.FailCritical, OrderBook, new ReasonCode("orderbook.gap"));
        Assert.Equal(SystemMode.SafeMode, driver.Mode);
        Assert.Equal("orderbook.gap", driver.Last.Reason.Value);
    }

    [Fact]
    public void Options_may_tighten_a_default_row()
    {
        using var driver = SystemDriver.Create(o => o.DecisionMatrix["market_data.quality_low"] = SystemMode.SafeMode).ToNormal();
        driver.Fail(ComponentId.MarketData, ReasonCode.MarketDataQualityLow);
        Assert.Equal(SystemMode.SafeMode, driver.Mode);
    }

    [Fact]
    public void A_custom_reason_mapped_to_Normal_is_a_clearing_event_not_a_condition()
    {
        using var driver = SystemDriver.Create(o => o.DecisionMatrix["market_data.resynced"] = SystemMode.Normal).ToNormal();
        driver.Fail(ComponentId.MarketData, ReasonCode.MarketDataQualityLow);
        Assert.Equal(SystemMode.Degraded, driver.Mode);
        driver.Apply(EventType.FailSupport, ComponentId.MarketData, new ReasonCode("market_data.resynced"));
        Assert.Empty(driver.Machine.GetComponent(ComponentId.MarketData)!.Conditions);
        driver.Advance(driver.RecoveryStable).Expect(SystemMode.Normal);
    }

    [Fact]
    public void A_custom_reason_mapped_to_Recovering_requests_a_run_and_is_not_a_condition()
    {
        using var driver = SystemDriver.Create(o => o.DecisionMatrix["broker.session_reset"] = SystemMode.Recovering).ToNormal();
        driver.Apply(EventType.FailCritical, ComponentId.Broker, new ReasonCode("broker.session_reset"));
        driver.Expect(SystemMode.Recovering, RecoveryStage.ConnectBroker);
        Assert.Empty(driver.Machine.GetComponent(ComponentId.Broker)!.Conditions);
    }

    [Theory]
    [InlineData(EventType.FailCritical, SystemMode.SafeMode)]
    [InlineData(EventType.FailSupport, SystemMode.Degraded)]
    [InlineData(EventType.QualityDegraded, SystemMode.Degraded)]
    public void An_unmapped_reason_fails_safe(EventType type, SystemMode expected)
    {
        using var driver = SystemDriver.Create().ToNormal();
        driver.Apply(type, ComponentId.Risk, new ReasonCode("risk.something_new"));
        Assert.Equal(expected, driver.Mode);
    }

    [Fact]
    public void Extra_must_deliver_reason_from_options_takes_the_emergency_path()
    {
        using var driver = SystemDriver.Create(o =>
        {
            RegisterCriticalOrderBook(o);
            o.DecisionMatrix["orderbook.crossed"] = SystemMode.SafeMode;
            o.MustDeliverReasons.Add("orderbook.crossed");
            o.EventBus.QueueSize = 1;
        }).ToNormal();
        Assert.True(driver.System.Policy.IsMustDeliver(new ReasonCode("orderbook.crossed")));
        Assert.True(driver.Bus.Publish(EventType.FailSupport, ComponentId.Alerts, ReasonCode.AlertsChannelDown)); // fills the bus
        Assert.Equal(SystemMode.Normal, driver.Mode); // non-critical: waits in the queue

        Assert.True(driver.Bus.Publish(EventType.FailCritical, OrderBook, new ReasonCode("orderbook.crossed")));
        Assert.Equal(SystemMode.SafeMode, driver.Mode); // applied before Publish returned, on a full bus
        Assert.Equal(0, driver.Bus.DroppedCount);
        Assert.Equal(1, driver.Bus.MustDeliverCount);
    }

    private static void RegisterCriticalOrderBook(DegradationOptions o) => o.Components[OrderBook.Name] = new ComponentOptions { Critical = true };
}
