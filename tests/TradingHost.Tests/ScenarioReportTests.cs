using TradingHost.Reporting;
using TradingHost.Scenarios;
using TradingHost.Scenarios.Catalog;
using Xunit;
using Xunit.Abstractions;

namespace TradingHost.Tests;

/// <summary>The sample run in process on every scenario: the report must prove the library's guarantees.</summary>
[Collection(AllScenariosCollection.Name)]
public sealed class ScenarioReportTests(AllScenariosFixture run, ITestOutputHelper output)
{
    public static TheoryData<string> Names() => [.. ScenarioRunner.All.Select(s => s.Name)];

    private static readonly string[] MustDeliverScenarios = ["broker-outage", "risk-breach", "position-mismatch"];

    [Fact]
    public void Every_scenario_ran()
    {
        output.WriteLine($"{run.Results.Count} scenarios in {run.Elapsed.TotalSeconds:0.0} s real at x{AllScenariosFixture.Speed}");
        output.WriteLine(ReportWriter.Table(run.Results));
        Assert.Equal(ScenarioRunner.All.Select(s => s.Name), run.Results.Select(r => r.Name));
    }

    [Theory]
    [MemberData(nameof(Names))]
    public void Scenario_meets_its_expectation(string name)
    {
        var result = run.Get(name);
        if (!result.ExpectationMet) output.WriteLine(run.Log);
        Assert.True(result.ExpectationMet, $"{name}: {string.Join("; ", result.Failures)}");
    }

    [Theory]
    [MemberData(nameof(Names))]
    public void No_entry_lost_no_duplicate_order_or_row(string name)
    {
        var result = run.Get(name);
        Assert.Equal(0, result.EntriesLost);
        Assert.Equal(0, result.DuplicateOrders);
        Assert.Equal(0, result.DuplicateRows);
        Assert.Equal(result.EntriesBuffered, result.EntriesReplayed);
        Assert.True(result.RowsInOrder, "database rows out of order");
    }

    [Theory]
    [MemberData(nameof(Names))]
    public void Recorded_transitions_are_exactly_the_expected_ones_in_order(string name)
    {
        var result = run.Get(name);
        output.WriteLine("expected: " + string.Join(", ", result.ExpectedTransitions));
        output.WriteLine("recorded: " + string.Join(", ", result.Transitions));
        Assert.Equal(result.ExpectedTransitions.Count, result.Transitions.Count);
        for (var i = 0; i < result.Transitions.Count; i++)
            Assert.True(ScenarioRunner.Matches(result.ExpectedTransitions[i], result.Transitions[i]),
                $"transition {i}: expected {result.ExpectedTransitions[i]}, recorded {result.Transitions[i]}");
    }

    [Theory]
    [MemberData(nameof(Names))]
    public void Strategy_checked_the_gate_at_its_rate_for_the_whole_scenario(string name)
    {
        // Paced by the simulated clock, which waits for it: the rate holds whatever the machine's load (the real rate is only reported).
        var result = run.Get(name);
        output.WriteLine($"{result.DecisionsPerSimulatedSecond:N0} decisions per simulated second, {result.DecisionsPerSecond:N0} per real second");
        Assert.InRange(result.DecisionsPerSimulatedSecond, 450, 510);
    }

    [Theory]
    [MemberData(nameof(MustDeliverNames))]
    public void Gate_was_closed_for_every_decision_after_a_must_deliver_fault(string name)
    {
        var result = run.Get(name);
        Assert.True(result.MustDeliverEvents > 0, "the scenario published no must-deliver event");
        Assert.True(result.SendsCheckedAfterFence > 1000, $"only {result.SendsCheckedAfterFence} sends were checked behind the fence: the check proves nothing");
        Assert.Equal(0, result.AllowedAfterMustDeliver);
        // The context also checked that the gate refused sends right after Publish returned (ExpectationMet covers it);
        // here: the gate closed sooner than any probe could have noticed (3 failed rounds, >= 1 s simulated).
        Assert.InRange(result.FaultToGateClosedMs ?? double.NaN, 0, 1000);
    }

    public static TheoryData<string> MustDeliverNames() => [.. MustDeliverScenarios];

    [Fact]
    public void Outage_scenarios_buffered_and_replayed_through_the_write_buffer()
    {
        Assert.True(run.Get("db-outage").EntriesBuffered > 0);
        var overflow = run.Get("buffer-overflow");
        Assert.True(overflow.EntriesBuffered >= BufferOverflowScenario.MaxEntries);
        Assert.Contains("SafeMode:db.buffer_overflow", overflow.Transitions);
    }

    [Fact]
    public void Scoped_scenarios_report_each_scopes_transitions_and_leave_other_scopes_untouched()
    {
        var venue = run.Get("venue-outage");
        Assert.Empty(venue.Transitions); // the process never changed mode while venue A was out
        Assert.Contains(venue.Notes, n => n.StartsWith("scope venue-a: SafeModeDisconnected/", StringComparison.Ordinal) || n.StartsWith("scope venue-a: SafeModeDisconnected:", StringComparison.Ordinal));
        Assert.DoesNotContain(venue.Notes, n => n.StartsWith("scope venue-b", StringComparison.Ordinal));
        var strategy = run.Get("strategy-halt");
        Assert.Empty(strategy.Transitions);
        Assert.Contains(strategy.Notes, n => n.StartsWith("scope venue-a/acct-1/strat-x: Halt:operator.halt", StringComparison.Ordinal));
        Assert.DoesNotContain(strategy.Notes, n => n.StartsWith("scope venue-a/acct-1/strat-y", StringComparison.Ordinal));
        Assert.Contains("Halt:operator.halt", run.Get("firm-wide-halt").Transitions);
    }

    [Fact]
    public void Stale_cache_is_served_while_the_broker_is_down_and_refreshed_on_reconnect()
    {
        var result = run.Get("stale-cache");
        foreach (var note in result.Notes) output.WriteLine(note);
        Assert.True(result.ExpectationMet, string.Join("; ", result.Failures));
        Assert.Contains(result.Notes, n => n.Contains("then stale", StringComparison.Ordinal));
        Assert.Contains(result.Notes, n => n.Contains("positions_reconciled", StringComparison.Ordinal) && n.Contains("pre-outage value refused", StringComparison.Ordinal));
        Assert.Contains("SafeModeDisconnected:broker.disconnect", result.Transitions);
    }

    [Fact]
    public void Json_report_carries_every_scenario_and_the_verdict()
    {
        var json = ReportWriter.Json(run.Results);
        using var document = System.Text.Json.JsonDocument.Parse(json);
        Assert.Equal(run.Results.Count, document.RootElement.GetProperty("scenarios").GetArrayLength());
        Assert.Equal(run.Results.All(r => r.ExpectationMet), document.RootElement.GetProperty("allMet").GetBoolean());
    }
}
