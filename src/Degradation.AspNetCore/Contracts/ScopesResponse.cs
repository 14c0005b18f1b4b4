namespace Degradation.AspNetCore.Contracts;

/// <summary>GET <c>scopes</c>: every scope, the process first, each before its children.</summary>
public sealed class ScopesResponse
{
    /// <summary>The scopes.</summary>
    public required IReadOnlyList<ScopeResponse> Scopes { get; init; }
}
