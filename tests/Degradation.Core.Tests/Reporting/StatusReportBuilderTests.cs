using Microsoft.Extensions.Time.Testing;
using Degradation.Testing;
using Xunit.Abstractions;

namespace Degradation.Tests.Reporting;

public class StatusReportBuilderTests(ITestOutputHelper output)
{
    private readonly FakeTimeProvider _time = new(FakeTimeProviderExtensions.TestStart);

    [Fact]
    public async Task The_report_shows_mode_stage_permissions_and_components()
    {
        await using var system = DegradationSystem.Create(new DegradationOptions(), _time);
        system.ReportFailure(ComponentId.MarketData, ReasonCode.MarketDataStale, "no ticks for 12 s");
        system.Bus.ProcessPending();
        var report = new StatusReportBuilder(system.StateMachine).Build();

        Assert.Contains("DEGRADATION STATUS", report);
        Assert.Contains("Time:      2026-01-26 09:30:00.000 UTC", report);
        Assert.Contains("Mode:      SafeMode", report);
        Assert.Contains("Allowed:   Cancel, ReduceOnly, Query", report);
        Assert.Contains("Denied:    Open, Send, Amend", report);
        Assert.Contains("COMPONENTS", report);
        Assert.Matches(@"x market_data\s+critical\s+Tripped .*market_data.stale -> SafeMode", report);
        Assert.Matches(@"broker\s+critical\s+Unknown\s+last never", report);
        Assert.Matches(@"db\s+optional", report);
        Assert.All(report, c => Assert.True(c < 128, $"non-ASCII character U+{(int)c:X4}"));
    }

    [Fact]
    public async Task Recovering_shows_its_stage_and_run_and_overrides_show_who_and_why()
    {
        await using var system = DegradationSystem.Create(new DegradationOptions(), _time);
        var builder = new StatusReportBuilder(system.StateMachine);
        var cold = builder.Build();
        Assert.Contains("Mode:      Recovering / ConnectBroker", cold);
        Assert.Contains("Recovery:  run-1 (ColdStart)", cold);
        system.StateMachine.ForceMode(SystemMode.SafeMode, TimeSpan.FromMinutes(10), "henry", "exchange incident");
        var forced = builder.Build();
        Assert.Contains("Override:  SafeMode by henry until 09:40:00 UTC (exchange incident)", forced);
        Assert.Contains("Last:      #2", forced);
        system.StateMachine.Halt("ivy", "kill switch drill");
        var halted = builder.Build();
        Assert.Contains("Halt:      by ivy since 09:30:00 UTC (kill switch drill)", halted);
    }

    [Fact]
    public async Task Sections_add_load_fallbacks_features_alerts_and_anything_else()
    {
        await using var system = DegradationSystem.Create(new DegradationOptions(), _time);
        var load = new LoadLevelMonitor(timeProvider: _time);
        load.Evaluate(1_200_000, 42);
        var shedder = new LoadShedder(monitor: load);
        shedder.ShouldProcess("XYZ");
        var router = new AlertRouter(timeProvider: _time);
        var quotes = new FallbackChainBuilder<int>("quotes").Primary(_ => throw new IOException("down")).Secondary(_ => new ValueTask<int>(1)).Static(0).Build(_time, alerts: router);
        for (var i = 0; i < 3; i++) _ = quotes.ExecuteAsync().AsTask().GetAwaiter().GetResult();
        var orders = new FallbackChainBuilder<int>("orders").Primary(_ => new ValueTask<int>(1)).Build(_time);
        var features = new FeatureDegradationController(timeProvider: _time);
        features.SetLevel(FeatureDegradationLevel.DegradedL2, "db slow");

        var report = new StatusReportBuilder(system.StateMachine)
            .Add(new LoadStatusSection(load, shedder))
            .Add(new FallbackStatusSection(quotes, orders))
            .Add(new FeatureStatusSection(features))
            .Add(new AlertStatusSection(router))
            .Add(new DelegateStatusSection("Write buffer", () => ["depth 17 entries, oldest 4.2 s"]))
            .Build();
        output.WriteLine(report);

        Assert.Contains("Level: Aggressive (accepting data: yes, skip enrichment: yes, spill to disk: yes)", report);
        Assert.Contains("Last sample: lag 1,200,000, heap 42%", report);
        Assert.Contains("Shed: 1 (critical 0, high 0, normal 1, low 0)", report);
        Assert.Contains("* quotes: primary BROKEN; serving secondary (90% quality)", report);
        Assert.Contains("- orders: primary active; serving primary (100% quality)", report);
        Assert.Contains("broken tiers: primary", report);
        Assert.Contains("Active fallbacks: 1 of 2 chains", report);
        Assert.Contains("Level: DegradedL2 (availability 50%, SLA impact MODERATE)", report);
        Assert.Contains("Disabled: analytics, notifications, recommendations, search", report);
        Assert.Contains("Reduced: core_write", report);
        Assert.Contains("Published 1, delivered 0", report); // the failover alert, not yet delivered (no routes, not flushed)
        Assert.Contains("WRITE BUFFER", report);
        Assert.Contains("  depth 17 entries, oldest 4.2 s", report);
        Assert.True(report.IndexOf("LOAD", StringComparison.Ordinal) < report.IndexOf("FALLBACKS", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_failing_section_is_shown_as_unavailable_and_the_report_is_still_built()
    {
        await using var system = DegradationSystem.Create(new DegradationOptions(), _time);
        var report = new StatusReportBuilder(system.StateMachine)
            .Add(new DelegateStatusSection("Breakers", () => throw new InvalidOperationException("registry disposed")))
            .Add(new DelegateStatusSection("After", () => ["still here"]))
            .Build();
        Assert.Contains("BREAKERS", report);
        Assert.Contains("(section unavailable: InvalidOperationException: registry disposed)", report);
        Assert.Contains("still here", report);
    }

    [Fact]
    public void A_restoring_chain_shows_its_ramp_step_and_pending_approvals()
    {
        var fail = true;
        var chain = new FallbackChainBuilder<int>("prices")
            .Primary(_ => fail ? throw new IOException("x") : new ValueTask<int>(1))
            .Static(0).Error(-1).Build(_time);
        for (var i = 0; i < 3; i++) _ = chain.ExecuteAsync().AsTask().GetAwaiter().GetResult();
        var lines = new FallbackStatusSection(chain).GetLines().ToList();
        Assert.Contains("    awaiting approval: static", lines);
        fail = false;
        _time.Advance(TimeSpan.FromSeconds(30));
        chain.EvaluateRestoration();
        Assert.Contains(new FallbackStatusSection(chain).GetLines(), l => l.Contains("primary restoring: step 1, 10% of traffic"));
    }
}
