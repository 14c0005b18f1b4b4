using Degradation.AspNetCore.Endpoints;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Authorization.Policy;
using Microsoft.Extensions.DependencyInjection;

namespace Degradation.AspNetCore;

/// <summary>Registers the services the operator API needs.</summary>
public static class DegradationEndpointServiceCollectionExtensions
{
    /// <summary>
    /// Registers what <see cref="DegradationEndpointRouteBuilderExtensions.MapDegradationEndpoints(Microsoft.AspNetCore.Routing.IEndpointRouteBuilder, string, Action{DegradationEndpointOptions}?)"/>
    /// needs besides authentication and authorization: an authorization result handler that answers the operator API's
    /// 401 and 403 with <c>application/problem+json</c> and <c>X-Content-Type-Options: nosniff</c>. It wraps the
    /// handler registered before it (or the default one) and leaves every other endpoint untouched. Call it after any
    /// custom <see cref="IAuthorizationMiddlewareResultHandler"/> registration; calling it twice changes nothing.
    /// </summary>
    /// <param name="services">The service collection.</param>
    /// <returns>The same collection.</returns>
    public static IServiceCollection AddDegradationEndpoints(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        if (services.Any(d => d.ServiceType == typeof(Registered))) return services;
        services.AddSingleton<Registered>();
        var existing = services.LastOrDefault(d => d.ServiceType == typeof(IAuthorizationMiddlewareResultHandler) && !d.IsKeyedService);
        if (existing is not null) services.Remove(existing);
        services.AddSingleton<IAuthorizationMiddlewareResultHandler>(provider => new ProblemAuthorizationResultHandler(Inner(provider, existing)));
        return services;
    }

    private static IAuthorizationMiddlewareResultHandler Inner(IServiceProvider provider, ServiceDescriptor? existing)
    {
        if (existing is null) return new AuthorizationMiddlewareResultHandler();
        if (existing.ImplementationInstance is IAuthorizationMiddlewareResultHandler instance) return instance;
        if (existing.ImplementationFactory is { } factory) return (IAuthorizationMiddlewareResultHandler)factory(provider);
        if (existing.ImplementationType is not null)
            return (IAuthorizationMiddlewareResultHandler)ActivatorUtilities.CreateInstance(provider, existing.ImplementationType);
        return new AuthorizationMiddlewareResultHandler();
    }

    /// <summary>Marks the collection as prepared, so a second call does not wrap the handler twice.</summary>
    private sealed class Registered;
}
