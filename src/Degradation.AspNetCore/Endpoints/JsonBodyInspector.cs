using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Degradation.AspNetCore.Endpoints;

/// <summary>
/// Checks a write's JSON body before it is bound, at every depth: a key may appear only once (keys bind
/// case-insensitively, so <c>mode</c> and <c>Mode</c> are the same key), and no text, neither a value nor a key,
/// may carry a character that can forge a line or reorder what a reader sees in a log or audit trail.
/// </summary>
/// <remarks>
/// Without the duplicate check the binder keeps the last value: <c>{"mode":"safe_mode","mode":"halt"}</c> would force
/// Halt while a proxy or log reading the first key records <c>safe_mode</c>. Malformed JSON is left to the binder,
/// which reports it with its position.
/// </remarks>
internal static class JsonBodyInspector
{
    /// <summary>Adds one error per offending field to <paramref name="errors"/>; false when the body is not well-formed JSON (the binder reports that).</summary>
    public static bool Inspect(ReadOnlySpan<byte> json, FieldErrors errors)
    {
        var reader = new Utf8JsonReader(json, new JsonReaderOptions { CommentHandling = JsonCommentHandling.Disallow });
        var scopes = new Stack<Scope>();
        try
        {
            while (reader.Read())
            {
                switch (reader.TokenType)
                {
                    case JsonTokenType.StartObject:
                        scopes.Push(new Scope(PathOfValue(scopes), isArray: false));
                        break;
                    case JsonTokenType.StartArray:
                        scopes.Push(new Scope(PathOfValue(scopes), isArray: true));
                        break;
                    case JsonTokenType.EndObject:
                    case JsonTokenType.EndArray:
                        scopes.Pop();
                        if (scopes.TryPeek(out var parent) && parent.IsArray) parent.Index++;
                        break;
                    case JsonTokenType.PropertyName:
                        OnKey(scopes.Peek(), ReadText(ref reader, errors, scopes.Peek().Path, isKey: true), errors);
                        break;
                    case JsonTokenType.String:
                        var path = PathOfValue(scopes);
                        var value = ReadText(ref reader, errors, path, isKey: false);
                        if (value is not null && FindForbidden(value) is { } bad)
                            errors.Add(path, $"'{path}' contains {Describe(value[bad])} at position {(bad + 1).ToString(CultureInfo.InvariantCulture)}; " +
                                "control characters (line breaks, tabs, NUL, C1) and bidirectional override or isolate characters are not accepted.");
                        AfterValue(scopes);
                        break;
                    default:
                        AfterValue(scopes);
                        break;
                }
            }
            return true;
        }
        catch (JsonException)
        {
            return false;
        }
    }

    private static void OnKey(Scope scope, string? key, FieldErrors errors)
    {
        if (key is null) { scope.CurrentKey = "?"; return; }
        scope.CurrentKey = key;
        if (FindForbidden(key) is { } bad)
        {
            errors.Add(Join(scope.Path, Printable(key)), $"A key contains {Describe(key[bad])}; keys must be plain text.");
            return;
        }
        scope.Keys ??= new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        if (!scope.Keys.Add(key))
        {
            var field = Join(scope.Path, key);
            errors.Add(field, $"The key '{field}' appears more than once; each key may appear only once (keys are matched case-insensitively).");
        }
    }

    private static string? ReadText(ref Utf8JsonReader reader, FieldErrors errors, string path, bool isKey)
    {
        try
        {
            return reader.GetString();
        }
        catch (InvalidOperationException)
        {
            // A lone surrogate escape (\ud800) is well-formed JSON but no valid text.
            errors.Add(path.Length == 0 ? "body" : path, isKey ? "A key is not valid Unicode text." : $"'{path}' is not valid Unicode text (a lone surrogate).");
            return null;
        }
    }

    private static void AfterValue(Stack<Scope> scopes)
    {
        if (scopes.TryPeek(out var scope) && scope.IsArray) scope.Index++;
    }

    private static string PathOfValue(Stack<Scope> scopes)
    {
        if (!scopes.TryPeek(out var scope)) return "";
        return scope.IsArray
            ? scope.Path + "[" + scope.Index.ToString(CultureInfo.InvariantCulture) + "]"
            : Join(scope.Path, Printable(scope.CurrentKey ?? "?"));
    }

    private static string Join(string path, string key) => path.Length == 0 ? key : path + "." + key;

    /// <summary>The index of the first character that may not appear in operator text, or null.</summary>
    internal static int? FindForbidden(string text)
    {
        for (var i = 0; i < text.Length; i++)
            if (IsForbidden(text[i])) return i;
        return null;
    }

    /// <summary>
    /// C0 and C1 controls (CR, LF, tab, NUL, DEL, NEL, …), the Unicode line and paragraph separators, and the
    /// bidirectional embedding, override and isolate characters (U+202A–U+202E, U+2066–U+2069).
    /// </summary>
    internal static bool IsForbidden(char c) =>
        char.IsControl(c) || c is '\u2028' or '\u2029' || c is >= '\u202A' and <= '\u202E' || c is >= '\u2066' and <= '\u2069';

    private static string Describe(char c) => "U+" + ((int)c).ToString("X4", CultureInfo.InvariantCulture) + c switch
    {
        '\0' => " (NUL)",
        '\r' => " (carriage return)",
        '\n' => " (line feed)",
        '\t' => " (tab)",
        '\u0085' => " (next line)",
        '\u2028' => " (line separator)",
        '\u2029' => " (paragraph separator)",
        >= '\u202A' and <= '\u202E' => " (bidirectional override)",
        >= '\u2066' and <= '\u2069' => " (bidirectional isolate)",
        _ => " (control character)",
    };

    /// <summary>A key as it can be shown in an answer: forbidden characters escaped.</summary>
    private static string Printable(string key)
    {
        if (FindForbidden(key) is null) return key;
        var text = new StringBuilder(key.Length + 8);
        foreach (var c in key)
            text.Append(IsForbidden(c) ? "\\u" + ((int)c).ToString("x4", CultureInfo.InvariantCulture) : c.ToString());
        return text.ToString();
    }

    private sealed class Scope(string path, bool isArray)
    {
        public string Path { get; } = path;
        public bool IsArray { get; } = isArray;
        public int Index { get; set; }
        public string? CurrentKey { get; set; }
        public HashSet<string>? Keys { get; set; }
    }
}
