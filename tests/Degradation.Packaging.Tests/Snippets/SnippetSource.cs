using System.Text;
using System.Text.RegularExpressions;

namespace Degradation.Packaging.Tests.Snippets;

/// <summary>
/// Splits C# written in top-level-statement form (C#'s own order: using directives, then statements, then type
/// declarations) and wraps a snippet into a compilable file: usings at the top, the context's and the block's
/// statements in one <c>RunAsync(string[] args)</c> method, the types beside it, all in a namespace of its own.
/// </summary>
public static partial class SnippetSource
{
    /// <summary>The three parts of a piece of C# in top-level-statement form.</summary>
    /// <param name="Usings">The using directives.</param>
    /// <param name="StatementsLine">The 0-based line where the statements start.</param>
    /// <param name="Statements">The statements.</param>
    /// <param name="TypesLine">The 0-based line where the type declarations start.</param>
    /// <param name="Types">The type declarations.</param>
    public sealed record Parts(IReadOnlyList<string> Usings, int StatementsLine, string Statements, int TypesLine, string Types);

    /// <summary>
    /// Splits <paramref name="code"/>: leading <c>using X;</c> lines (not <c>using var</c> or <c>using (</c>) are
    /// directives; the types start at the first line, at column 0, that declares a class, struct, record,
    /// interface, enum or delegate (with any attributes on the lines just above it); the rest are statements.
    /// </summary>
    public static Parts Split(string code)
    {
        var lines = code.ReplaceLineEndings("\n").Split('\n');
        var usings = new List<string>();
        var i = 0;
        for (; i < lines.Length; i++)
        {
            var line = lines[i].Trim();
            if (line.Length == 0 || line.StartsWith("//", StringComparison.Ordinal)) continue;
            if (!UsingDirective().IsMatch(line)) break;
            usings.Add(line);
        }
        var statementsStart = usings.Count == 0 ? 0 : i;
        var typesStart = Array.FindIndex(lines, statementsStart, l => TypeDeclaration().IsMatch(l));
        if (typesStart < 0) typesStart = lines.Length;
        while (typesStart > statementsStart && lines[typesStart - 1].StartsWith('[')) typesStart--;
        return new Parts(
            usings,
            statementsStart,
            string.Join('\n', lines[statementsStart..typesStart]),
            typesStart,
            string.Join('\n', lines[typesStart..]));
    }

    /// <summary>The compilable file for <paramref name="snippet"/>, in namespace <paramref name="ns"/>.</summary>
    public static string Wrap(CodeSnippet snippet, string ns)
    {
        var context = Split(snippet.Context);
        var block = Split(snippet.Code);
        var text = new StringBuilder();
        foreach (var u in context.Usings.Concat(block.Usings).Distinct(StringComparer.Ordinal)) text.AppendLine(u);
        text.AppendLine($"namespace {ns}");
        text.AppendLine("{");
        text.AppendLine($"// {snippet.Location}{(snippet.IsFragment ? " (fragment)" : "")}");
        text.AppendLine("internal static class Snippet");
        text.AppendLine("{");
        text.AppendLine("    internal static async global::System.Threading.Tasks.Task RunAsync(string[] args)");
        text.AppendLine("    {");
        text.AppendLine(context.Statements);
        // Compiler errors in the block name the markdown file and line.
        text.AppendLine($"#line {snippet.Line + 1 + block.StatementsLine} \"{snippet.Document}\"");
        text.AppendLine(block.Statements);
        text.AppendLine("#line default");
        text.AppendLine("    }");
        text.AppendLine("}");
        text.AppendLine($"#line {snippet.Line + 1 + block.TypesLine} \"{snippet.Document}\"");
        text.AppendLine(block.Types);
        text.AppendLine("#line default");
        text.AppendLine(context.Types);
        text.AppendLine("}");
        return text.ToString();
    }

    [GeneratedRegex(@"^using\s+(static\s+)?[A-Za-z_][\w.]*(\s*=\s*[\w.<>, ]+)?\s*;$")]
    private static partial Regex UsingDirective();

    [GeneratedRegex(@"^((public|internal|private|protected|file|sealed|static|abstract|partial|readonly|unsafe|ref)\s+)*(class|struct|interface|enum|delegate|record)\b")]
    private static partial Regex TypeDeclaration();
}
