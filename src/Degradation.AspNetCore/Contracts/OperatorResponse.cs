namespace Degradation.AspNetCore.Contracts;

/// <summary>Who the caller is and whether they may write (GET <c>me</c>); the dashboard uses it to enable its forms.</summary>
public sealed class OperatorResponse
{
    /// <summary>True when the caller is authenticated.</summary>
    public required bool Authenticated { get; init; }
    /// <summary>The operator id that writes would be recorded under, or null.</summary>
    public string? OperatorId { get; init; }
    /// <summary>True when the caller satisfies the write policy.</summary>
    public required bool CanWrite { get; init; }
    /// <summary>Where the dashboard posts to sign out (the host's <c>LogoutPath</c> option), or null.</summary>
    public string? LogoutPath { get; init; }
    /// <summary>What writes need, in words, so a read-only user is told why the controls are disabled.</summary>
    public required string WriteRequirement { get; init; }
}
