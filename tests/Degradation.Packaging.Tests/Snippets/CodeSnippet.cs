namespace Degradation.Packaging.Tests.Snippets;

/// <summary>
/// One ```csharp block of a markdown document, with the fragment context written in the HTML comment before it
/// (empty for a complete block). The rules are in docs/SNIPPETS.md.
/// </summary>
/// <param name="Document">The markdown file, relative to the repository root (e.g. <c>README.md</c>).</param>
/// <param name="Line">The 1-based line of the opening fence.</param>
/// <param name="Id">The name a test runs it by: the marker's <c>id=</c>, else <c>document#n</c>.</param>
/// <param name="Code">The block's text.</param>
/// <param name="IsFragment">Whether the marker declares it a fragment.</param>
/// <param name="Context">The fragment's context (C# in the same using/statements/types form), or empty.</param>
public sealed record CodeSnippet(string Document, int Line, string Id, string Code, bool IsFragment, string Context)
{
    /// <summary>Where the block is, for error messages.</summary>
    public string Location => $"{Document}:{Line}";
}
