using System.Net;
using Degradation.Classification;
using Degradation.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace Degradation.Tests.Api;

/// <summary>GET health-report over Kestrel and HttpClient.</summary>
public sealed class HealthReportEndpointTests
{
    private static readonly ComponentId Orderbook = HealthReportParts.Orderbook;

    private static Task<DegradationTestHost> StartAsync() =>
        DegradationTestHost.StartAsync(systemOptions: HealthReportParts.Options(), services: HealthReportParts.Register);

    [Fact]
    public async Task A_failing_component_shows_its_failure_type_from_the_taxonomy()
    {
        await using var host = await StartAsync();
        new FailureClassifier().Publish(host.System.Bus, host.System.Policy, host.System.TimeProvider, ComponentId.Risk,
            new HealthSample(10, 0, 0) { Signals = FailureSignals.Unreachable });
        await host.System.Bus.DrainAsync();

        var report = await (await host.ViewerClient().GetAsync("/degradation/health-report")).JsonAsync();
        var type = report.GetProperty("components").GetProperty("risk").GetProperty("failure_type");
        Assert.Equal(("network_partition", "connectivity_check", "critical"), (type.Str("type"), type.Str("detection"), type.Str("severity")));
        Assert.Equal(20, type.GetProperty("typical_recovery_minutes").GetDouble());
        Assert.True(type.GetProperty("requires_manual_intervention").GetBoolean());
        Assert.True(report.GetProperty("components").GetProperty("broker").IsNull("failure_type"));
    }

    [Fact]
    public async Task A_healthy_system_is_fully_operational_and_can_trade()
    {
        await using var host = await StartAsync();
        host.System.Heartbeat(Orderbook);
        await host.System.Bus.DrainAsync();

        using var response = await host.ViewerClient().GetAsync("/degradation/health-report");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("no-store", response.Headers.CacheControl?.ToString());
        var report = await response.JsonAsync();
        Assert.Equal("fully_operational", report.Str("overall_status"));
        Assert.True(report.GetProperty("can_trade").GetBoolean());
        var orderbook = report.GetProperty("components").GetProperty("orderbook");
        Assert.True(orderbook.GetProperty("healthy").GetBoolean());
        Assert.Equal("optional", orderbook.Str("category"));
        Assert.False(orderbook.GetProperty("is_503").GetBoolean());
        var fallback = orderbook.GetProperty("fallback");
        Assert.Equal("rest_api_polling", fallback.Str("strategy"));
        Assert.False(fallback.GetProperty("active").GetBoolean());
        Assert.Equal("critical", report.GetProperty("components").GetProperty("broker").Str("category"));
        Assert.True(report.GetProperty("components").GetProperty("broker").IsNull("fallback"));
        Assert.Equal("closed", report.GetProperty("breakers")[0].Str("state"));
        Assert.Equal("active", report.GetProperty("fallback_chains")[0].Str("primary_state"));
        Assert.Equal(0, report.GetProperty("critical_issues").GetArrayLength());
    }

    [Fact]
    public async Task A_503_on_an_optional_component_degrades_with_its_fallback_described_breakers_and_chains_shown()
    {
        await using var host = await StartAsync();
        await host.Services.GetRequiredService<HealthReportParts>().BreakAsync(host.System); // orderbook 503, db isolated, quotes failed over

        var report = await (await host.ViewerClient().GetAsync("/degradation/health-report")).JsonAsync();

        Assert.Equal("degraded", report.Str("overall_status"));
        Assert.True(report.GetProperty("can_trade").GetBoolean());
        var orderbook = report.GetProperty("components").GetProperty("orderbook");
        Assert.False(orderbook.GetProperty("healthy").GetBoolean());
        Assert.True(orderbook.GetProperty("is_503").GetBoolean());
        var fallback = orderbook.GetProperty("fallback");
        Assert.True(fallback.GetProperty("active").GetBoolean());
        Assert.Equal("Fetches orderbook snapshots over the REST API", fallback.Str("description"));
        Assert.Equal("Price updates every 30 s instead of real time", fallback.Str("impact"));
        var strategies = report.GetProperty("fallback_strategies").EnumerateArray().Select(e => e.GetString()).ToList();
        Assert.Contains("orderbook -> rest_api_polling", strategies);
        Assert.Contains("quotes -> cache", strategies);
        var breaker = report.GetProperty("breakers")[0];
        Assert.Equal("db", breaker.Str("component"));
        Assert.Equal("isolated", breaker.Str("state"));
        Assert.Equal("alice", breaker.Str("isolated_by"));
        var chain = report.GetProperty("fallback_chains")[0];
        Assert.Equal("broken", chain.Str("primary_state"));
        Assert.Equal("cache", chain.Str("active_tier"));
        var optional = report.GetProperty("optional_issues").EnumerateArray().Select(e => e.GetString()!).ToList();
        Assert.Contains(optional, i => i.StartsWith("orderbook:", StringComparison.Ordinal));
        Assert.Contains(optional, i => i.StartsWith("db: circuit breaker isolated by alice", StringComparison.Ordinal));
        Assert.False(report.GetProperty("components").GetProperty("broker").GetProperty("is_503").GetBoolean());
    }

    [Fact]
    public async Task A_critical_failure_pauses_trading_and_lists_a_critical_issue()
    {
        await using var host = await StartAsync();
        host.System.ReportFailure(ComponentId.Broker, ReasonCode.BrokerDisconnect, "503 Service Unavailable");
        await host.System.Bus.DrainAsync();

        var report = await (await host.ViewerClient().GetAsync("/degradation/health-report")).JsonAsync();

        Assert.Equal("paused", report.Str("overall_status"));
        Assert.False(report.GetProperty("can_trade").GetBoolean());
        Assert.Equal("safe_mode_disconnected", report.Str("mode"));
        var broker = report.GetProperty("components").GetProperty("broker");
        Assert.Equal("tripped", broker.Str("status"));
        // Not probed: nothing structured says the broker is only temporarily unavailable, so no 503 claim.
        Assert.False(broker.GetProperty("is_503").GetBoolean());
        Assert.Contains(report.GetProperty("critical_issues").EnumerateArray(), i => i.GetString()!.StartsWith("broker: broker.disconnect", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Health_report_needs_read_rights_like_the_other_reads()
    {
        await using var host = await DegradationTestHost.StartAsync(bringUpToNormal: false);

        using var anonymous = await host.AnonymousClient().GetAsync("/degradation/health-report");
        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);

        // Without a registered reporter, the endpoint reports on the system alone (cold start: paused).
        var report = await (await host.ViewerClient().GetAsync("/degradation/health-report")).JsonAsync();
        Assert.Equal("paused", report.Str("overall_status"));
        Assert.Equal("recovering", report.Str("mode"));
        Assert.Equal("connect_broker", report.Str("stage"));
        Assert.Equal(0, report.GetProperty("breakers").GetArrayLength());
    }
}
