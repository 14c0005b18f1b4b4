using System.Globalization;

namespace Degradation.FleetCli;

/// <summary>Positional arguments (verbs, then their arguments) and <c>--name value</c> options, as parsed by <see cref="FleetCommandLine"/>.</summary>
internal sealed class CliArguments
{
    private readonly Dictionary<string, string> _options = new(StringComparer.Ordinal);

    /// <summary>Arguments already parsed (by <see cref="FleetCommandLine"/>): verbs and arguments in order, options by name without dashes.</summary>
    public CliArguments(IEnumerable<string> positional, IReadOnlyDictionary<string, string> options)
    {
        Positional.AddRange(positional);
        foreach (var (name, value) in options) _options[name] = value;
    }

    public List<string> Positional { get; } = [];

    public string? Get(string name) => _options.GetValueOrDefault(name);

    public string Require(string name, string? environmentVariable = null) =>
        Get(name) ?? (environmentVariable is null ? null : Environment.GetEnvironmentVariable(environmentVariable))
        ?? throw new CliException($"--{name} is required{(environmentVariable is null ? "" : $" (or set {environmentVariable})")}.");

    public TimeSpan Milliseconds(string name, int fallback)
    {
        var text = Get(name);
        if (text is null) return TimeSpan.FromMilliseconds(fallback);
        return int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var ms) && ms > 0
            ? TimeSpan.FromMilliseconds(ms)
            : throw new CliException($"--{name} must be a positive number of milliseconds (was '{text}').");
    }

    /// <summary>A whole number of seconds; zero (the default when absent) means off.</summary>
    public TimeSpan WholeSeconds(string name)
    {
        var text = Get(name);
        if (text is null) return TimeSpan.Zero;
        return int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var s) && s >= 0
            ? TimeSpan.FromSeconds(s)
            : throw new CliException($"--{name} must be a whole number of seconds, 0 for off (was '{text}').");
    }

    /// <summary>Parses "90", "90s", "5m", "1h" or "1d".</summary>
    public TimeSpan? Duration(string name)
    {
        var text = Get(name);
        if (text is null) return null;
        var (number, unit) = char.IsLetter(text[^1]) ? (text[..^1], text[^1]) : (text, 's');
        if (!double.TryParse(number, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) || value <= 0)
            throw new CliException($"--{name} must be a positive duration like 30s, 5m or 1h (was '{text}').");
        return unit switch
        {
            's' => TimeSpan.FromSeconds(value),
            'm' => TimeSpan.FromMinutes(value),
            'h' => TimeSpan.FromHours(value),
            'd' => TimeSpan.FromDays(value),
            _ => throw new CliException($"--{name} has an unknown unit '{unit}' (use s, m, h or d)."),
        };
    }
}

internal sealed class CliException(string message) : Exception(message);
