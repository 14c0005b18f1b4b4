using System.Globalization;

namespace TradingHost;

/// <summary>The sample's command line: <c>[--list] [--scenario NAME]... [--json PATH] [--speed N]</c>.</summary>
public sealed record CommandLine
{
    public const string Usage = """
        usage: dotnet run --project samples/TradingHost -- [options]
          --list             list the scenarios and exit
          --scenario NAME    run only NAME (repeatable; default: all, in order)
          --json PATH        also write the report as JSON to PATH
          --speed N          simulated clock speed factor (default 40; >= 1)
          --help             show this help
        exit code: 0 when every scenario met its expectation, 1 otherwise, 2 for bad arguments
        """;

    public bool List { get; init; }
    public bool Help { get; init; }
    public IReadOnlyList<string> Scenarios { get; init; } = [];
    public string? JsonPath { get; init; }
    public double Speed { get; init; } = 40;

    /// <exception cref="ArgumentException">An unknown flag, a missing value or a bad speed; the message names it.</exception>
    public static CommandLine Parse(IReadOnlyList<string> args)
    {
        var result = new CommandLine();
        var scenarios = new List<string>();
        for (var i = 0; i < args.Count; i++)
        {
            var arg = args[i];
            string Value() => i + 1 < args.Count ? args[++i] : throw new ArgumentException($"{arg} needs a value.");
            switch (arg)
            {
                case "--list": result = result with { List = true }; break;
                case "--help" or "-h": result = result with { Help = true }; break;
                case "--scenario": scenarios.Add(Value()); break;
                case "--json": result = result with { JsonPath = Value() }; break;
                case "--speed":
                    var text = Value();
                    if (!double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var speed) || !(speed >= 1) || !double.IsFinite(speed))
                        throw new ArgumentException($"--speed must be a number >= 1 (was '{text}').");
                    result = result with { Speed = speed };
                    break;
                default: throw new ArgumentException($"Unknown argument '{arg}'.");
            }
        }
        return result with { Scenarios = scenarios };
    }
}
