using Degradation.Testing;

namespace Degradation.Tests.Events;

/// <summary>The event value types: SystemEvent, ReasonCode, ComponentId.</summary>
public class SystemEventTests
{
    private readonly ControlledTimeProvider _time = new();

    [Fact]
    public void Create_stamps_wall_and_monotonic_time_from_the_time_provider()
    {
        var e = SystemEvent.Create(_time, EventType.FailCritical, ComponentId.Broker, ReasonCode.BrokerDisconnect);
        Assert.Equal(_time.GetUtcNow(), e.WallTime);
        Assert.Equal(_time.GetTimestamp(), e.Timestamp);
        Assert.Equal(Severity.Critical, e.Severity);
        Assert.Null(e.Details);
        Assert.Null(e.Ttl);
    }

    [Theory]
    [InlineData(EventType.FailCritical, Severity.Critical)]
    [InlineData(EventType.FailSupport, Severity.Warning)]
    [InlineData(EventType.QualityDegraded, Severity.Warning)]
    [InlineData(EventType.Recovered, Severity.Info)]
    [InlineData(EventType.Heartbeat, Severity.Info)]
    public void Default_severity_follows_the_event_type(EventType type, Severity expected) =>
        Assert.Equal(expected, SystemEvent.DefaultSeverity(type));

    [Fact]
    public void Heartbeat_and_recovered_events_without_a_reason_get_the_well_known_reasons()
    {
        Assert.Equal(ReasonCode.ComponentHeartbeat, SystemEvent.Create(_time, EventType.Heartbeat, ComponentId.Risk).Reason);
        Assert.Equal(ReasonCode.ComponentRecovered, SystemEvent.Create(_time, EventType.Recovered, ComponentId.Risk).Reason);
        Assert.Equal("component.heartbeat", ReasonCode.ComponentHeartbeat.Value);
        Assert.Equal("component.recovered", ReasonCode.ComponentRecovered.Value);
        Assert.Equal("component.stale", ReasonCode.ComponentStale.Value);
    }

    [Theory]
    [InlineData(EventType.FailCritical)]
    [InlineData(EventType.FailSupport)]
    [InlineData(EventType.QualityDegraded)]
    public void A_failure_without_a_reason_is_rejected(EventType type)
    {
        var error = Assert.Throws<ArgumentException>(() => SystemEvent.Create(_time, type, ComponentId.Risk));
        Assert.Equal("reason", error.ParamName);
    }

    [Fact]
    public void An_event_needs_a_component_and_a_positive_ttl()
    {
        Assert.Equal("component", Assert.Throws<ArgumentException>(() => SystemEvent.Create(_time, EventType.Heartbeat, default)).ParamName);
        Assert.Equal("ttl", Assert.Throws<ArgumentOutOfRangeException>(() => SystemEvent.Create(_time, EventType.Heartbeat, ComponentId.Risk, ttl: TimeSpan.Zero)).ParamName);
        Assert.Equal("ttl", Assert.Throws<ArgumentOutOfRangeException>(() => SystemEvent.Create(_time, EventType.Heartbeat, ComponentId.Risk, ttl: TimeSpan.FromSeconds(-1))).ParamName);
    }

    [Fact]
    public void IsExpired_uses_the_monotonic_clock()
    {
        var e = SystemEvent.Create(_time, EventType.Heartbeat, ComponentId.Risk, ttl: TimeSpan.FromSeconds(2));
        _time.JumpWallClock(TimeSpan.FromHours(1));
        Assert.False(e.IsExpired(_time, _time.GetTimestamp()));
        _time.Advance(TimeSpan.FromSeconds(2.001));
        Assert.True(e.IsExpired(_time, _time.GetTimestamp()));
        Assert.False(SystemEvent.Create(_time, EventType.Heartbeat, ComponentId.Risk).IsExpired(_time, long.MaxValue / 2));
    }

    [Fact]
    public void Well_known_reason_codes_have_their_documented_string_forms()
    {
        var expected = new Dictionary<string, ReasonCode>
        {
            ["broker.disconnect"] = ReasonCode.BrokerDisconnect, ["broker.reconnected"] = ReasonCode.BrokerReconnected,
            ["broker.mismatch"] = ReasonCode.BrokerMismatch, ["market_data.stale"] = ReasonCode.MarketDataStale,
            ["market_data.quality_low"] = ReasonCode.MarketDataQualityLow, ["risk.timeout"] = ReasonCode.RiskTimeout,
            ["risk.breach_hard"] = ReasonCode.RiskBreachHard, ["position.unknown"] = ReasonCode.PositionUnknown,
            ["db.write_fail_buffered"] = ReasonCode.DbWriteFailBuffered, ["db.buffer_overflow"] = ReasonCode.DbBufferOverflow,
            ["alerts.channel_down"] = ReasonCode.AlertsChannelDown, ["recovery.failed"] = ReasonCode.RecoveryFailed,
            ["recovery.complete"] = ReasonCode.RecoveryComplete, ["all.healthy"] = ReasonCode.AllHealthy,
            ["cold_start"] = ReasonCode.ColdStart, ["force_override"] = ReasonCode.ForceOverride,
        };
        foreach (var (text, code) in expected)
        {
            Assert.Equal(text, code.Value);
            Assert.Equal(text, code.ToString());
            Assert.Equal(code, new ReasonCode(text)); // ordinal value equality, not reference
            Assert.Equal(code.GetHashCode(), new ReasonCode(new string(text.AsSpan())).GetHashCode());
        }
    }

    [Fact]
    public void Reason_codes_are_extensible_and_validated()
    {
        var custom = (ReasonCode)"orderbook.gap";
        Assert.Equal("orderbook.gap", custom.Value);
        Assert.NotEqual(custom, (ReasonCode)"Orderbook.Gap");
        Assert.True(default(ReasonCode).IsEmpty);
        Assert.Equal(string.Empty, default(ReasonCode).Value);
        Assert.Throws<ArgumentException>(() => new ReasonCode(" "));
        Assert.Throws<ArgumentNullException>(() => new ReasonCode(null!));
    }

    [Fact]
    public void Component_ids_are_well_known_and_extensible()
    {
        Assert.Equal(["broker", "market_data", "risk", "db", "alerts", "system"],
            new[] { ComponentId.Broker, ComponentId.MarketData, ComponentId.Risk, ComponentId.Db, ComponentId.Alerts, ComponentId.System }.Select(c => c.Name));
        Assert.Equal(ComponentId.Broker, new ComponentId("broker"));
        Assert.True(ComponentId.Broker == (ComponentId)"broker");
        Assert.Equal("orderbook-ws", new ComponentId("orderbook-ws").ToString());
        Assert.True(default(ComponentId).IsEmpty);
        Assert.Throws<ArgumentException>(() => new ComponentId(""));
    }

    [Fact]
    public void Dropped_event_log_keeps_the_most_recent_drops_oldest_first()
    {
        var log = new DroppedEventLog(capacity: 3);
        for (var i = 0; i < 5; i++)
            log.Record(SystemEvent.Create(_time, EventType.Heartbeat, ComponentId.Risk, details: i.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        Assert.Equal(5, log.Total);
        Assert.Equal(["2", "3", "4"], log.Snapshot().Select(e => e.Details));
        Assert.Throws<ArgumentOutOfRangeException>(() => new DroppedEventLog(0));
    }

    [Fact]
    public void Reason_codes_are_equal_by_value_whatever_string_instance_carries_it()
    {
        var copy = new ReasonCode(new string("broker.disconnect".AsSpan())); // not the interned literal
        Assert.Equal(ReasonCode.BrokerDisconnect, copy);
        Assert.True(copy == ReasonCode.BrokerDisconnect);
        Assert.Equal(ReasonCode.BrokerDisconnect.GetHashCode(), copy.GetHashCode());
        Assert.NotEqual(ReasonCode.BrokerDisconnect, new ReasonCode("broker.Disconnect")); // ordinal: case matters
    }

    [Fact]
    public void Creating_or_checking_an_event_without_a_clock_is_refused()
    {
        Assert.Throws<ArgumentNullException>(() => SystemEvent.Create(null!, EventType.Heartbeat, ComponentId.Risk));
        var e = SystemEvent.Create(_time, EventType.Heartbeat, ComponentId.Risk, ttl: TimeSpan.FromSeconds(1));
        Assert.Throws<ArgumentNullException>(() => e.IsExpired(null!, 0));
    }
}
