using System.Text;
using System.Text.RegularExpressions;

namespace Degradation.Storage.Postgres;

/// <summary>Validated, quoted PostgreSQL identifiers for one schema, and stable advisory-lock keys.</summary>
internal sealed partial class SqlNames
{
    public const int MaxIdentifierLength = 63;

    public SqlNames(string schema)
    {
        Schema = ValidateIdentifier(schema, "Schema");
        Quoted = "\"" + Schema + "\"";
    }

    /// <summary>The schema name, unquoted.</summary>
    public string Schema { get; }

    /// <summary>The schema name, quoted for SQL.</summary>
    public string Quoted { get; }

    /// <summary>The schema-qualified, quoted name of <paramref name="table"/>.</summary>
    public string Table(string table) => Quoted + ".\"" + table + "\"";

    /// <summary>
    /// Checks that <paramref name="value"/> is a plain lower-case identifier, so it can be quoted into DDL
    /// and LISTEN statements (which take no parameters) without any injection risk.
    /// </summary>
    public static string ValidateIdentifier(string? value, string optionName)
    {
        if (string.IsNullOrEmpty(value) || value.Length > MaxIdentifierLength || !IdentifierPattern().IsMatch(value))
            throw new ArgumentException(
                $"{optionName} must be a lower-case PostgreSQL identifier ([a-z_][a-z0-9_]*, at most {MaxIdentifierLength} characters) (was '{value}').",
                optionName);
        return value;
    }

    /// <summary>A stable 64-bit key (FNV-1a of the UTF-8 text) for pg_advisory_lock.</summary>
    public static long LockKey(string text)
    {
        const ulong offset = 14695981039346656037UL, prime = 1099511628211UL;
        var hash = offset;
        foreach (var b in Encoding.UTF8.GetBytes(text))
        {
            hash ^= b;
            hash *= prime;
        }
        return unchecked((long)hash);
    }

    [GeneratedRegex("^[a-z_][a-z0-9_]*$", RegexOptions.CultureInvariant)]
    private static partial Regex IdentifierPattern();
}
