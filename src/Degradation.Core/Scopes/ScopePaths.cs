namespace Degradation.Scopes;

/// <summary>Parses and checks scope paths: up to three <c>'/'</c>-separated names below the process.</summary>
internal static class ScopePaths
{
    public const int MaxDepth = 3;

    /// <summary>The path's segments; empty for the process scope (<c>""</c>).</summary>
    /// <exception cref="ArgumentException">The path is malformed; the message names the bad part.</exception>
    public static string[] Split(string path, string parameterName)
    {
        ArgumentNullException.ThrowIfNull(path, parameterName);
        if (path.Length == 0) return [];
        var segments = path.Split('/');
        if (segments.Length > MaxDepth)
            throw new ArgumentException($"Scope path '{path}' is {segments.Length} levels deep; at most {MaxDepth} (venue/account/strategy) are allowed.", parameterName);
        foreach (var segment in segments)
        {
            if (segment.Length == 0)
                throw new ArgumentException($"Scope path '{path}' has an empty name (leading, trailing or doubled '/').", parameterName);
            foreach (var c in segment)
            {
                if (!char.IsAsciiLetterOrDigit(c) && c is not ('-' or '_' or '.'))
                    throw new ArgumentException($"Scope path '{path}' has the character '{c}' in '{segment}'; names use ASCII letters, digits, '-', '_' and '.'.", parameterName);
            }
        }
        return segments;
    }
}
