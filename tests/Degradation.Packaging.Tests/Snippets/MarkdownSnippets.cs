using System.Text.RegularExpressions;

namespace Degradation.Packaging.Tests.Snippets;

/// <summary>
/// Reads the ```csharp blocks of markdown documents and the <c>&lt;!-- snippet ... --&gt;</c> marker directly
/// before each (docs/SNIPPETS.md). A malformed marker is an error naming the file and line, never a silent skip.
/// </summary>
public static partial class MarkdownSnippets
{
    private const string Marker = "<!-- snippet";

    /// <summary>The markdown documents whose C# blocks are compiled: the README, each package's README, docs/*.md.</summary>
    public static IEnumerable<string> Documents(string root)
    {
        yield return "README.md";
        foreach (var readme in Directory.EnumerateFiles(Path.Combine(root, "src"), "README.md", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
            yield return Path.GetRelativePath(root, readme).Replace('\\', '/');
        foreach (var doc in Directory.EnumerateFiles(Path.Combine(root, "docs"), "*.md").Order(StringComparer.Ordinal))
            yield return Path.GetRelativePath(root, doc).Replace('\\', '/');
    }

    /// <summary>Every C# block of the documents under <paramref name="root"/>.</summary>
    public static IReadOnlyList<CodeSnippet> ReadAll(string root) =>
        [.. Documents(root).SelectMany(d => Read(d, File.ReadAllText(Path.Combine(root, d))))];

    /// <summary>The C# blocks of one document.</summary>
    public static IReadOnlyList<CodeSnippet> Read(string document, string markdown)
    {
        var lines = markdown.ReplaceLineEndings("\n").Split('\n');
        var snippets = new List<CodeSnippet>();
        var ids = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < lines.Length; i++)
        {
            // Fences may be indented (a block inside a list item); the block's lines lose that indentation.
            var fence = lines[i].Trim();
            if (!fence.StartsWith("```", StringComparison.Ordinal)) continue;
            var indent = lines[i].Length - lines[i].TrimStart().Length;
            var language = fence[3..].Trim();
            var end = Array.FindIndex(lines, i + 1, l => l.Trim() == "```");
            if (end < 0) throw new FormatException($"{document}:{i + 1}: code block not closed");
            if (language is "csharp" or "cs" or "c#")
            {
                var (id, fragment, context) = ReadMarker(document, lines, i);
                id ??= $"{document}#{snippets.Count + 1}";
                if (!ids.Add(id)) throw new FormatException($"{document}:{i + 1}: snippet id '{id}' is used twice");
                var code = lines[(i + 1)..end].Select(l => l[Math.Min(indent, l.Length - l.TrimStart().Length)..]);
                snippets.Add(new CodeSnippet(document, i + 1, id, string.Join('\n', code), fragment, context));
            }
            i = end;
        }
        return snippets;
    }

    /// <summary>The marker comment ending on the line before the fence (blank lines between are allowed), if any.</summary>
    private static (string? Id, bool Fragment, string Context) ReadMarker(string document, string[] lines, int fence)
    {
        var last = fence - 1;
        while (last >= 0 && lines[last].Trim().Length == 0) last--;
        if (last < 0 || !lines[last].TrimEnd().EndsWith("-->", StringComparison.Ordinal)) return (null, false, "");
        var first = last;
        while (first >= 0 && !lines[first].Contains("<!--", StringComparison.Ordinal)) first--;
        if (first < 0 || !lines[first].TrimStart().StartsWith(Marker, StringComparison.Ordinal)) return (null, false, "");

        var text = string.Join('\n', lines[first..(last + 1)]).Trim();
        text = text[Marker.Length..^"-->".Length];
        var newline = text.IndexOf('\n', StringComparison.Ordinal);
        var header = (newline < 0 ? text : text[..newline]).Trim();
        var context = newline < 0 ? "" : text[(newline + 1)..].Trim('\n');

        string? id = null;
        var fragment = false;
        foreach (var word in header.Split(' ', StringSplitOptions.RemoveEmptyEntries))
        {
            if (word == "fragment") fragment = true;
            else if (word.StartsWith("id=", StringComparison.Ordinal) && IdPattern().IsMatch(word[3..])) id = word[3..];
            else throw new FormatException($"{document}:{first + 1}: unknown snippet marker word '{word}' (expected 'fragment' or 'id=name')");
        }
        if (context.Length > 0 && !fragment)
            throw new FormatException($"{document}:{first + 1}: a snippet marker with context lines must say 'fragment'");
        if (fragment && context.Trim().Length == 0)
            throw new FormatException($"{document}:{first + 1}: a fragment must state its context (the C# it is compiled with) on the marker's next lines");
        return (id, fragment, context);
    }

    [GeneratedRegex("^[a-z0-9][a-z0-9-]*$")]
    private static partial Regex IdPattern();
}
