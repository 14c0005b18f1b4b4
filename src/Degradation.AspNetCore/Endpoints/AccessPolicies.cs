using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Authorization.Policy;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace Degradation.AspNetCore.Endpoints;

/// <summary>
/// The read and write access rules of the endpoints: a host-named policy, or the built-in ones (reads: an
/// authenticated user; writes: an authenticated user in the operator role). Reads may also be open.
/// </summary>
internal sealed class AccessPolicies
{
    private readonly DegradationEndpointOptions _options;
    private readonly AuthorizationPolicy? _defaultRead;
    private readonly AuthorizationPolicy? _defaultWrite;

    public AccessPolicies(DegradationEndpointOptions options)
    {
        _options = options;
        if (options.RequireAuthorizationForReads && options.ReadPolicy is null)
            _defaultRead = Builder(options).Build();
        if (options.WritePolicy is null)
            _defaultWrite = Builder(options).RequireRole(options.OperatorRole).Build();
    }

    /// <summary>What a read needs, in words, for 401/403 answers.</summary>
    public string ReadRequirement => !_options.RequireAuthorizationForReads
        ? "nothing"
        : _options.ReadPolicy is { } name ? $"the read policy '{name}'" : "an authenticated user";

    /// <summary>What a write needs, in words, for 401/403 answers.</summary>
    public string WriteRequirement => _options.WritePolicy is { } name
        ? $"the write policy '{name}'"
        : $"an authenticated user in the operator role '{_options.OperatorRole}'";

    public void RequireRead(IEndpointConventionBuilder endpoint)
    {
        if (!_options.RequireAuthorizationForReads) endpoint.AllowAnonymous();
        else if (_options.ReadPolicy is { } name) endpoint.RequireAuthorization(name);
        else endpoint.RequireAuthorization(_defaultRead!);
    }

    public void RequireWrite(IEndpointConventionBuilder endpoint)
    {
        if (_options.WritePolicy is { } name) endpoint.RequireAuthorization(name);
        else endpoint.RequireAuthorization(_defaultWrite!);
    }

    /// <summary>Evaluates the write policy for the caller without failing the request (for GET <c>me</c>).</summary>
    public async Task<(bool CanWrite, System.Security.Claims.ClaimsPrincipal User)> EvaluateWriteAsync(HttpContext context)
    {
        var policy = _defaultWrite;
        if (policy is null)
        {
            var provider = context.RequestServices.GetRequiredService<IAuthorizationPolicyProvider>();
            policy = await provider.GetPolicyAsync(_options.WritePolicy!).ConfigureAwait(false)
                ?? throw new InvalidOperationException($"The write policy '{_options.WritePolicy}' named in {nameof(DegradationEndpointOptions)}.{nameof(DegradationEndpointOptions.WritePolicy)} is not registered.");
        }
        var evaluator = context.RequestServices.GetRequiredService<IPolicyEvaluator>();
        var authentication = await evaluator.AuthenticateAsync(policy, context).ConfigureAwait(false);
        var authorization = await evaluator.AuthorizeAsync(policy, authentication, context, resource: null).ConfigureAwait(false);
        return (authorization.Succeeded, context.User);
    }

    private static AuthorizationPolicyBuilder Builder(DegradationEndpointOptions options)
    {
        var builder = new AuthorizationPolicyBuilder().RequireAuthenticatedUser();
        if (options.AuthenticationSchemes.Count > 0) builder.AddAuthenticationSchemes([.. options.AuthenticationSchemes]);
        return builder;
    }
}
