using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Authorization.Policy;
using Microsoft.AspNetCore.Http;

namespace Degradation.AspNetCore.Endpoints;

/// <summary>
/// Wraps the host's authorization result handler. On operator API endpoints, after the authentication scheme has
/// challenged (401) or forbidden (403), and unless the scheme answered itself (a redirect to a login page, a body),
/// it writes an <c>application/problem+json</c> body saying what is missing. Every other endpoint is untouched.
/// </summary>
internal sealed class ProblemAuthorizationResultHandler(IAuthorizationMiddlewareResultHandler inner) : IAuthorizationMiddlewareResultHandler
{
    public async Task HandleAsync(RequestDelegate next, HttpContext context, AuthorizationPolicy policy, PolicyAuthorizationResult authorizeResult)
    {
        var api = context.GetEndpoint()?.Metadata.GetMetadata<DegradationEndpointMetadata>();
        if (api is null)
        {
            await inner.HandleAsync(next, context, policy, authorizeResult).ConfigureAwait(false);
            return;
        }
        var response = context.Response;
        response.Headers.XContentTypeOptions = "nosniff";
        await inner.HandleAsync(next, context, policy, authorizeResult).ConfigureAwait(false);
        if (authorizeResult.Succeeded || response.HasStarted || response.Headers.Location.Count > 0) return;

        var (title, detail) = response.StatusCode switch
        {
            StatusCodes.Status401Unauthorized => ("Authentication required.", $"Sign in first: this endpoint needs {api.Requirement}."),
            StatusCodes.Status403Forbidden => ("Not allowed.", $"Your account is signed in but not allowed here: this endpoint needs {api.Requirement}."),
            _ => (null, null),
        };
        if (title is null) return;
        response.Headers.CacheControl = "no-store";
        await TypedResults.Problem(detail, statusCode: response.StatusCode, title: title).ExecuteAsync(context).ConfigureAwait(false);
    }
}
