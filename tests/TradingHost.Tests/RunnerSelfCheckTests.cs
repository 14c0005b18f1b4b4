using Degradation;
using TradingHost.Scenarios;
using Xunit;

namespace TradingHost.Tests;

/// <summary>The runner's checks are not vacuous: a wrong expectation is reported as a failure with its reason.</summary>
public sealed class RunnerSelfCheckTests
{
    private sealed class WrongExpectationScenario : Scenario
    {
        public override string Name => "wrong-expectation";
        public override string Description => "expects a Halt that never comes";
        public override IReadOnlyList<string> ExpectedTransitions { get; } = ["Halt:risk.breach_hard"];

        public override Task RunAsync(ScenarioContext context, CancellationToken cancellationToken) =>
            context.DelayAsync(TimeSpan.FromSeconds(2), cancellationToken);
    }

    [Fact]
    public async Task A_scenario_whose_transitions_differ_fails_and_says_why()
    {
        var result = await ScenarioRunner.RunOneAsync(new WrongExpectationScenario(), new RunnerOptions { Speed = 20 });
        Assert.False(result.ExpectationMet);
        Assert.Contains(result.Failures, f => f.Contains("transitions differ", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("Normal", "Normal:all.healthy", true)]
    [InlineData("Normal:all.healthy", "Normal:all.healthy", true)]
    [InlineData("Normal:recovery.complete", "Normal:all.healthy", false)]
    [InlineData("Recovering/Ready", "Recovering/VerifyRisk:recovery.stage", false)]
    public void Expected_transition_matching(string expected, string recorded, bool matches) =>
        Assert.Equal(matches, ScenarioRunner.Matches(expected, recorded));

    [Fact]
    public void Unknown_scenario_names_are_refused_with_the_known_ones()
    {
        var ex = Assert.Throws<ArgumentException>(() => ScenarioRunner.Select(["no-such-thing"]));
        Assert.Contains("broker-outage", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(new[] { "--speed", "0.5" }, "--speed")]
    [InlineData(new[] { "--bogus" }, "--bogus")]
    [InlineData(new[] { "--json" }, "--json")]
    [InlineData(new[] { "--html" }, "--html")]
    public void Bad_arguments_are_refused_naming_the_flag(string[] args, string flag)
    {
        var ex = Assert.Throws<ArgumentException>(() => CommandLine.Parse(args));
        Assert.Contains(flag, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Arguments_parse()
    {
        var line = CommandLine.Parse(["--scenario", "db-outage", "--scenario", "load-spike", "--json", "r.json", "--speed", "10"]);
        Assert.Equal(["db-outage", "load-spike"], line.Scenarios);
        Assert.Equal("r.json", line.JsonPath);
        Assert.Equal(10, line.Speed);
        Assert.Null(line.HtmlPath);
        Assert.Equal("report.html", CommandLine.Parse(["--html", "report.html"]).HtmlPath);
        Assert.Equal(40, CommandLine.Parse([]).Speed);
        Assert.Equal(SystemMode.Normal, default(SystemMode));
    }
}
