using System.CommandLine;
using System.CommandLine.Help;
using System.Globalization;

namespace TradingHost;

/// <summary>
/// The sample's command line, parsed with System.CommandLine:
/// <c>[--list] [--scenario NAME]... [--json PATH] [--html PATH] [--speed N]</c> (and <c>--help</c>).
/// </summary>
public sealed record CommandLine
{
    public bool List { get; init; }
    public bool Help { get; init; }
    public IReadOnlyList<string> Scenarios { get; init; } = [];
    public string? JsonPath { get; init; }
    public string? HtmlPath { get; init; }
    public double Speed { get; init; } = 40;

    private static readonly Option<bool> ListOption = new("--list") { Description = "List the scenarios and exit." };
    private static readonly Option<string[]> ScenarioOption = new("--scenario")
    {
        Description = "Run only this scenario (repeatable; default: all, in order).",
        HelpName = "NAME",
    };
    private static readonly Option<string> JsonOption = new("--json") { Description = "Also write the report as JSON to PATH.", HelpName = "PATH" };
    private static readonly Option<string> HtmlOption = new("--html")
    {
        Description = "Also write a self-contained HTML report with one timeline per scenario to PATH.",
        HelpName = "PATH",
    };
    private static readonly Option<double> SpeedOption = CreateSpeedOption();

    /// <summary>The root command: options, description and help text.</summary>
    public static RootCommand CreateCommand() =>
    [
        ListOption, ScenarioOption, JsonOption, HtmlOption, SpeedOption,
    ];

    private static Option<double> CreateSpeedOption()
    {
        var option = new Option<double>("--speed")
        {
            Description = "Most simulated seconds per real second (>= 1); the simulated clock also waits for the work it sets off, so a busy machine slows it down.",
            HelpName = "N",
            DefaultValueFactory = _ => 40,
            CustomParser = result =>
            {
                var text = result.Tokens.Count > 0 ? result.Tokens[0].Value : "";
                if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var speed) && speed >= 1 && double.IsFinite(speed))
                    return speed;
                result.AddError($"--speed must be a number >= 1 (was '{text}').");
                return 0;
            },
        };
        return option;
    }

    /// <summary>Parses <paramref name="args"/>.</summary>
    /// <exception cref="ArgumentException">An unknown flag, a missing value or a bad speed; the message names it.</exception>
    public static CommandLine Parse(IReadOnlyList<string> args)
    {
        var command = CreateCommand();
        var parsed = command.Parse(args);
        if (parsed.Errors.Count > 0)
            throw new ArgumentException(string.Join(Environment.NewLine, parsed.Errors.Select(e => e.Message)));
        return new CommandLine
        {
            List = parsed.GetValue(ListOption),
            Help = parsed.Action is HelpAction,
            Scenarios = parsed.GetValue(ScenarioOption) ?? [],
            JsonPath = parsed.GetValue(JsonOption),
            HtmlPath = parsed.GetValue(HtmlOption),
            Speed = parsed.GetValue(SpeedOption),
        };
    }

    /// <summary>Writes the generated help (options, defaults) to standard output.</summary>
    public static void WriteHelp()
    {
        var command = CreateCommand();
        command.Description = """
            A simulated trading host under scripted failures, against Degradation.Core.
            Exit code: 0 when every scenario met its expectation, 1 otherwise, 2 for bad arguments.
            """;
        command.Parse(["--help"]).Invoke();
    }
}
