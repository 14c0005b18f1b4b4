namespace Degradation.AspNetCore.Contracts;

/// <summary>Answer of POST <c>recovery/start</c>.</summary>
public sealed class RecoveryStartedResponse
{
    /// <summary>The new recovery run.</summary>
    public required long RunId { get; init; }
    /// <summary>The status afterwards.</summary>
    public required StatusResponse Status { get; init; }
}
