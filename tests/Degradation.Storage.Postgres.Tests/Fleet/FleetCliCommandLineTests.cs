using Degradation.Testing;

namespace Degradation.Tests.Postgres;

/// <summary>
/// degradation-fleet's command line (System.CommandLine): --help on the tool and on a verb, and bad arguments refused
/// with exit code 2 and a message naming the option — before any database is contacted.
/// </summary>
public sealed class FleetCliCommandLineTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(2);

    private static Task<ConsoleRun.Result> Fleet(params string[] arguments) => ConsoleRun.DotnetAsync("degradation-fleet.dll", arguments, Timeout);

    [Fact]
    public async Task Help_lists_the_verbs_and_exits_0()
    {
        var run = await Fleet("--help");

        Assert.True(run.ExitCode == 0, run.Error);
        Assert.Contains("degradation-fleet", run.Output);
        foreach (var verb in new[] { "migrate", "run", "fleet" }) Assert.Contains(verb, run.Output);
        Assert.Contains("DEGRADATION_PG", run.Output);
    }

    [Fact]
    public async Task Help_on_a_fleet_action_lists_its_options()
    {
        var run = await Fleet("fleet", "force", "--help");

        Assert.True(run.ExitCode == 0, run.Error);
        foreach (var option in new[] { "--ttl", "--operator", "--reason", "--group", "--connection", "MODE" }) Assert.Contains(option, run.Output);
    }

    [Theory]
    [InlineData(new[] { "run", "--connection", "Host=nowhere", "--heartbeat-ms", "often" }, "--heartbeat-ms")]
    [InlineData(new[] { "run", "--connection", "Host=nowhere", "--loss-mode", "sideways" }, "--loss-mode")]
    [InlineData(new[] { "fleet", "halt-all", "--connection", "Host=nowhere", "--reason", "drill" }, "--operator")]
    [InlineData(new[] { "fleet", "force", "Normal", "--connection", "Host=nowhere", "--operator", "ops-1", "--reason", "drill" }, "--ttl")]
    [InlineData(new[] { "migrate", "--conection", "Host=nowhere" }, "--conection")]
    public async Task A_bad_argument_is_refused_with_exit_code_2_naming_the_option(string[] arguments, string option)
    {
        var run = await Fleet(arguments);

        Assert.Equal(2, run.ExitCode);
        Assert.Contains(option, run.Error);
        Assert.StartsWith("error: ", run.Error);
        Assert.Equal("", run.Output);
    }

    [Fact]
    public async Task A_force_to_an_unknown_mode_is_refused_before_anything_is_issued()
    {
        // Fail closed: a typo in the mode must never reach the fleet as some other command.
        var run = await Fleet("fleet", "force", "Normall", "--ttl", "30s", "--connection", "Host=nowhere", "--operator", "ops-1", "--reason", "drill");

        Assert.Equal(2, run.ExitCode);
        Assert.Contains("Normall", run.Error);
        Assert.DoesNotContain("ISSUED", run.Output);
    }
}
