using System.Security.Claims;

namespace Degradation.AspNetCore.Endpoints;

/// <summary>Finds the operator id of an authenticated principal. It never comes from the request body.</summary>
internal static class OperatorIdentity
{
    public static string? Find(ClaimsPrincipal user, string? claimType)
    {
        if (user.Identity?.IsAuthenticated != true) return null;
        var id = claimType is not null
            ? user.FindFirst(claimType)?.Value
            : user.Identity.Name ?? user.FindFirst(ClaimTypes.NameIdentifier)?.Value ?? user.FindFirst("sub")?.Value;
        return string.IsNullOrWhiteSpace(id) ? null : id;
    }

    public static string Describe(string? claimType) => claimType is null ? "name or name-identifier claim" : $"claim '{claimType}'";
}
