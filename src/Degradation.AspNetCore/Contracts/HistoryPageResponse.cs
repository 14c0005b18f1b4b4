namespace Degradation.AspNetCore.Contracts;

/// <summary>A page of the retained transition history (GET <c>history?offset=&amp;limit=</c>), newest first.</summary>
public sealed class HistoryPageResponse
{
    /// <summary>How many transitions are retained (the history is bounded).</summary>
    public required int Total { get; init; }
    /// <summary>How many of the newest were skipped.</summary>
    public required int Offset { get; init; }
    /// <summary>The page size asked for.</summary>
    public required int Limit { get; init; }
    /// <summary>The transitions, newest first.</summary>
    public required IReadOnlyList<TransitionResponse> Items { get; init; }
}
