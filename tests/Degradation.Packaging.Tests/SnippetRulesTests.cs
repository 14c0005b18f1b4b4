using Degradation.Packaging.Tests.Snippets;
using Degradation.Testing;

namespace Degradation.Packaging.Tests;

/// <summary>How markdown C# blocks are read and wrapped (docs/SNIPPETS.md); fast, no packing.</summary>
public class SnippetRulesTests
{
    [Fact]
    public void Every_document_is_read_and_every_fragment_states_its_context()
    {
        var snippets = MarkdownSnippets.ReadAll(RepositoryPaths.Root);
        Assert.Contains(snippets, s => s.Document == "README.md");
        Assert.Contains(snippets, s => s.Document == "docs/EXTENDING.md");
        Assert.All(snippets.Where(s => s.IsFragment), s => Assert.False(string.IsNullOrWhiteSpace(s.Context), $"{s.Location}: a fragment with no context"));
    }

    [Fact]
    public void The_readme_host_quick_start_is_a_complete_program_not_a_fragment()
    {
        var host = Assert.Single(MarkdownSnippets.ReadAll(RepositoryPaths.Root), s => s.Id == "host-quick-start");
        Assert.Equal("README.md", host.Document);
        Assert.False(host.IsFragment);
    }

    [Fact]
    public void A_block_without_a_marker_is_complete_and_a_marker_declares_a_fragment_with_its_context()
    {
        const string markdown = """
            text
            ```csharp
            Console.WriteLine(1);
            ```
            <!-- snippet fragment id=with-system
            using Degradation;
            var system = DegradationSystem.Create();
            -->
            ```csharp
            system.Start();
            ```
            ```bash
            echo not C#
            ```
            """;
        var snippets = MarkdownSnippets.Read("doc.md", markdown);

        Assert.Equal(2, snippets.Count);
        Assert.Equal(("doc.md#1", false, ""), (snippets[0].Id, snippets[0].IsFragment, snippets[0].Context));
        Assert.Equal(("with-system", true), (snippets[1].Id, snippets[1].IsFragment));
        Assert.Equal("using Degradation;\nvar system = DegradationSystem.Create();", snippets[1].Context);
        Assert.Equal(("doc.md:2", "doc.md:9"), (snippets[0].Location, snippets[1].Location));
    }

    [Theory]
    [InlineData("<!-- snippet fragmant -->", "unknown snippet marker word 'fragmant'")]
    [InlineData("<!-- snippet id=Bad_Name -->", "unknown snippet marker word 'id=Bad_Name'")]
    [InlineData("<!-- snippet\nvar x = 1;\n-->", "must say 'fragment'")]
    [InlineData("<!-- snippet fragment -->", "a fragment must state its context")]
    public void A_malformed_marker_is_an_error_naming_the_file_and_line(string marker, string message)
    {
        var error = Assert.Throws<FormatException>(() => MarkdownSnippets.Read("doc.md", $"intro\n{marker}\n```csharp\nx();\n```\n"));
        Assert.StartsWith("doc.md:2: ", error.Message);
        Assert.Contains(message, error.Message);
    }

    [Fact]
    public void An_unclosed_block_is_an_error()
    {
        var error = Assert.Throws<FormatException>(() => MarkdownSnippets.Read("doc.md", "```csharp\nx();\n"));
        Assert.Equal("doc.md:1: code block not closed", error.Message);
    }

    [Fact]
    public void Code_splits_into_usings_statements_and_types_in_top_level_order()
    {
        var parts = SnippetSource.Split("""
            using Degradation;
            using static System.Math;

            using var host = Build();
            static int Twice(int x) => 2 * x;
            [Obsolete("demo")]
            public sealed class Probe { }
            record Order(decimal Quantity);
            """);

        Assert.Equal(["using Degradation;", "using static System.Math;"], parts.Usings);
        Assert.Equal(3, parts.StatementsLine);
        Assert.Equal("using var host = Build();\nstatic int Twice(int x) => 2 * x;", parts.Statements);
        Assert.Equal(5, parts.TypesLine);
        Assert.StartsWith("[Obsolete(\"demo\")]\npublic sealed class Probe", parts.Types);
    }

    [Fact]
    public void A_wrapped_snippet_maps_compiler_errors_to_the_markdown_line()
    {
        var snippet = new CodeSnippet("README.md", 10, "x", "using Degradation;\nFoo();\nsealed class T { }", false, "");
        var source = SnippetSource.Wrap(snippet, "Snippets.S001");

        Assert.StartsWith("using Degradation;\nnamespace Snippets.S001", source.ReplaceLineEndings("\n"));
        Assert.Contains("#line 12 \"README.md\"\nFoo();", source.ReplaceLineEndings("\n"));
        Assert.Contains("#line 13 \"README.md\"\nsealed class T { }", source.ReplaceLineEndings("\n"));
    }
}
