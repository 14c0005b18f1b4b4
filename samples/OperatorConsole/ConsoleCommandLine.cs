using System.CommandLine;
using System.CommandLine.Help;

namespace OperatorConsole;

/// <summary>
/// The operator console's command line, declared with System.CommandLine for <c>--help</c> and for errors that name
/// the bad option. Besides <c>--urls</c> and <c>--environment</c>, any configuration key may be set the ASP.NET Core
/// way (<c>--Key=value</c>, <c>--Section:Key=value</c> or <c>--Section:Key value</c>); the host reads the same arguments.
/// </summary>
public static class ConsoleCommandLine
{
    /// <summary>The exit code for a command line that does not parse.</summary>
    public const int BadArguments = 2;

    private static readonly Option<string> UrlsOption = CreateUrlsOption();

    private static readonly Option<string> EnvironmentOption = new("--environment")
    {
        Description = "Hosting environment (default Production; the launch profile sets Development, which enables the published development keys).",
        HelpName = "NAME",
    };

    /// <summary>The root command: options, description and help text.</summary>
    public static RootCommand Create()
    {
        var root = new RootCommand($"""
            Operator console sample: a small trading simulation with the Degradation operator API and dashboard at
            {OperatorConsoleApp.DashboardPath} (sign in at /login, or send X-Api-Key).
            Configuration keys may also be given as --Section:Key=value, for example
              --OperatorConsole:Operators:0:Name=olga --OperatorConsole:Operators:0:ApiKey=... --OperatorConsole:Operators:0:Roles:0=degradation-operator
              --Degradation:MinSafeModeSeconds=10 --Simulation:OrderIntervalMs=50
            Exit code: 0 after a clean stop, 2 for bad arguments.
            """)
        {
            UrlsOption, EnvironmentOption,
        };
        root.TreatUnmatchedTokensAsErrors = false;
        return root;
    }

    /// <summary>
    /// Checks <paramref name="args"/>. Returns true when the host should start; false after writing the help
    /// (<paramref name="exitCode"/> 0) or errors naming the bad option (<paramref name="exitCode"/> <see cref="BadArguments"/>).
    /// </summary>
    public static bool TryParse(string[] args, TextWriter output, TextWriter error, out int exitCode)
    {
        var parsed = Create().Parse(args);
        if (parsed.Action is HelpAction)
        {
            parsed.Invoke(new InvocationConfiguration { Output = output, Error = error });
            exitCode = 0;
            return false;
        }
        var errors = parsed.Errors.Select(e => e.Message).ToList();
        // Tokens System.CommandLine did not match must be configuration keys (--Section:Key[=value]) or their values.
        var unmatched = parsed.UnmatchedTokens;
        for (var i = 0; i < unmatched.Count; i++)
        {
            var token = unmatched[i];
            if (IsConfigurationKey(token))
            {
                if (!token.Contains('=', StringComparison.Ordinal))
                {
                    if (i + 1 < unmatched.Count && !unmatched[i + 1].StartsWith("--", StringComparison.Ordinal)) i++;
                    else errors.Add($"Configuration key {token} needs a value (--Section:Key=value or --Section:Key value).");
                }
                continue;
            }
            errors.Add(token.StartsWith('-')
                ? $"Unrecognized option '{token}'. Options: --urls, --environment, --help, or a configuration key as --Section:Key=value."
                : $"Unexpected argument '{token}'.");
        }
        if (errors.Count > 0)
        {
            foreach (var e in errors) error.WriteLine("error: " + e);
            error.WriteLine("Run with --help for the options.");
            exitCode = BadArguments;
            return false;
        }
        exitCode = 0;
        return true;
    }

    /// <summary>
    /// <c>--Key=value</c> (any key, as ASP.NET Core reads it) or <c>--Section:Key</c> followed by its value;
    /// a bare <c>--word</c> is an unknown option.
    /// </summary>
    private static bool IsConfigurationKey(string token)
    {
        if (!token.StartsWith("--", StringComparison.Ordinal) || token.Length == 2) return false;
        var parts = token[2..].Split('=', 2);
        var key = parts[0];
        if (key.Length == 0 || key.StartsWith(':') || key.EndsWith(':')) return false;
        return parts.Length == 2 || key.Contains(':', StringComparison.Ordinal);
    }

    private static Option<string> CreateUrlsOption()
    {
        var option = new Option<string>("--urls")
        {
            Description = $"Where to listen, ';'-separated http(s) URLs (default {OperatorConsoleApp.DefaultUrl}: loopback only).",
            HelpName = "URLS",
        };
        option.Validators.Add(result =>
        {
            var value = result.GetValueOrDefault<string>() ?? "";
            foreach (var url in value.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
                if (!Uri.TryCreate(url.Replace("*", "localhost", StringComparison.Ordinal).Replace("+", "localhost", StringComparison.Ordinal), UriKind.Absolute, out var uri)
                    || uri.Scheme is not ("http" or "https"))
                {
                    result.AddError($"--urls must be ';'-separated absolute http or https URLs (was '{value}').");
                    return;
                }
        });
        return option;
    }
}
