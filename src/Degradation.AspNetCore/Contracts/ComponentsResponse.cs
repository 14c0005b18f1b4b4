namespace Degradation.AspNetCore.Contracts;

/// <summary>Every component (GET <c>components</c>).</summary>
public sealed class ComponentsResponse
{
    /// <summary>The worst level (see <see cref="StatusResponse.Level"/>).</summary>
    public required string Level { get; init; }
    /// <summary>The components, critical first, then by id.</summary>
    public required IReadOnlyList<ComponentResponse> Components { get; init; }
}
