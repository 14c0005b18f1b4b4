namespace Degradation.AspNetCore.Endpoints;

/// <summary>
/// Marks an endpoint as part of the operator API, so <see cref="ProblemAuthorizationResultHandler"/> answers its
/// 401 and 403 with <c>application/problem+json</c>, and says what the endpoint needs, for those answers.
/// </summary>
internal sealed class DegradationEndpointMetadata(string requirement)
{
    /// <summary>What a caller needs, in words, e.g. "an authenticated user in role 'degradation-operator'".</summary>
    public string Requirement { get; } = requirement;
}
