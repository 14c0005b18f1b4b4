using Degradation.Testing;
using OperatorConsole;

namespace Degradation.Tests.Sample;

/// <summary>
/// The operator console's command line (System.CommandLine): --help, bad arguments refused with exit code 2 and a
/// message naming the option, before any host is built or port opened; configuration keys pass through.
/// </summary>
public sealed class OperatorConsoleCommandLineTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(2);

    private static Task<ConsoleRun.Result> RunConsole(params string[] arguments) => ConsoleRun.DotnetAsync("OperatorConsole.dll", arguments, Timeout);

    [Fact]
    public async Task Help_lists_the_options_and_exits_0_without_starting_the_host()
    {
        var run = await RunConsole("--help");

        Assert.True(run.ExitCode == 0, run.Error);
        foreach (var text in new[] { "--urls", "--environment", "--help", "--OperatorConsole:Operators:0:Name=olga", OperatorConsoleApp.DefaultUrl })
            Assert.Contains(text, run.Output);
        Assert.DoesNotContain("Now listening", run.Output);
    }

    [Theory]
    [InlineData(new[] { "--urls", "not-a-url" }, "--urls")]
    [InlineData(new[] { "--urls", "ftp://127.0.0.1:21" }, "--urls")]
    [InlineData(new[] { "--urlz", "http://127.0.0.1:5080" }, "--urlz")]
    [InlineData(new[] { "--Degradation:MinSafeModeSeconds" }, "--Degradation:MinSafeModeSeconds")]
    public async Task A_bad_argument_is_refused_with_exit_code_2_naming_the_option(string[] arguments, string option)
    {
        var run = await RunConsole(arguments);

        Assert.Equal(2, run.ExitCode);
        Assert.Contains(option, run.Error);
        Assert.DoesNotContain("Now listening", run.Output);
    }

    [Theory]
    [InlineData("--urls", "http://127.0.0.1:0", "--environment", "Development")]
    [InlineData("--Simulation:OrderIntervalMs=50", "--Degradation:MinSafeModeSeconds", "10")]
    [InlineData("--urls=http://127.0.0.1:0;https://localhost:0", "--contentRoot=/tmp")]
    public void Options_and_configuration_keys_are_accepted(params string[] arguments)
    {
        var error = new StringWriter();

        Assert.True(ConsoleCommandLine.TryParse(arguments, TextWriter.Null, error, out var exitCode), error.ToString());
        Assert.Equal(0, exitCode);
    }
}
