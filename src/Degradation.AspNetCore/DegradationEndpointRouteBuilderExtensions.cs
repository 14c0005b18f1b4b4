using Degradation.AspNetCore.Endpoints;
using Degradation.Health;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Degradation.AspNetCore;

/// <summary>Maps the operator HTTP API and dashboard.</summary>
public static class DegradationEndpointRouteBuilderExtensions
{
    /// <summary>
    /// Maps the operator API and dashboard under <paramref name="prefix"/>. Reads: GET <c>status</c>,
    /// <c>permissions</c>, <c>components</c>, <c>history</c>, <c>events</c> (Server-Sent Events), <c>me</c>,
    /// <c>health-report</c> (the registered <see cref="HealthReporter"/>'s report) and the
    /// dashboard page (<c>{prefix}/</c>). Writes, all behind the write policy: POST <c>halt</c> (the kill switch),
    /// <c>release-halt</c>, <c>force</c>, <c>release</c>,
    /// <c>recovery/start</c>, <c>recovery/complete</c>. The <see cref="DegradationSystem"/> is resolved from
    /// dependency injection; authentication and authorization services must be registered, and
    /// <see cref="DegradationEndpointServiceCollectionExtensions.AddDegradationEndpoints"/> called.
    /// </summary>
    /// <param name="endpoints">The application or a route group.</param>
    /// <param name="prefix">Where to mount, e.g. <c>/degradation</c>.</param>
    /// <param name="configure">Adjusts the options (policies, limits).</param>
    /// <returns>The route group, for further conventions.</returns>
    /// <exception cref="OptionsValidationException">An option is invalid; the message names it and its value.</exception>
    /// <exception cref="InvalidOperationException">A required service is not registered.</exception>
    public static RouteGroupBuilder MapDegradationEndpoints(this IEndpointRouteBuilder endpoints, string prefix = "/degradation",
        Action<DegradationEndpointOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        var options = new DegradationEndpointOptions();
        configure?.Invoke(options);
        return endpoints.MapDegradationEndpoints(prefix, options);
    }

    /// <summary>Maps the operator API and dashboard under <paramref name="prefix"/> with explicit options.</summary>
    /// <inheritdoc cref="MapDegradationEndpoints(IEndpointRouteBuilder, string, Action{DegradationEndpointOptions}?)"/>
    public static RouteGroupBuilder MapDegradationEndpoints(this IEndpointRouteBuilder endpoints, string prefix, DegradationEndpointOptions options)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentException.ThrowIfNullOrWhiteSpace(prefix);
        if (!prefix.StartsWith('/'))
            throw new ArgumentException($"The route prefix must start with '/' (was '{prefix}').", nameof(prefix));
        var errors = options.Validate();
        if (errors.Count > 0) throw new OptionsValidationException(nameof(DegradationEndpointOptions), typeof(DegradationEndpointOptions), errors);
        RequireServices(endpoints.ServiceProvider);

        var policies = new AccessPolicies(options);
        var reads = new ReadEndpoints(options, policies);
        var commands = new CommandEndpoints(options);
        var events = new EventStreamEndpoint(options);
        var group = endpoints.MapGroup(prefix.TrimEnd('/'));
        // Every answer of the API, whatever its status, carries nosniff (401/403 get it from the result handler).
        ((IEndpointConventionBuilder)group).Finally(static endpoint =>
        {
            var inner = endpoint.RequestDelegate;
            if (inner is null) return;
            endpoint.RequestDelegate = context =>
            {
                context.Response.Headers.XContentTypeOptions = "nosniff";
                return inner(context);
            };
        });

        Read(group.MapGet("status", reads.StatusAsync), "status");
        Read(group.MapGet("permissions", reads.PermissionsAsync), "permissions");
        Read(group.MapGet("components", reads.ComponentsAsync), "components");
        Read(group.MapGet("history", reads.HistoryAsync), "history");
        Read(group.MapGet("events", events.StreamAsync), "events");
        Read(group.MapGet("me", reads.MeAsync), "me");
        Write(group.MapPost("halt", commands.HaltAsync), "halt");
        Write(group.MapPost("release-halt", commands.ReleaseHaltAsync), "release halt");
        Read(group.MapGet("health-report", HealthReportEndpoint.GetAsync), "health report");
        Write(group.MapPost("force", commands.ForceAsync), "force");
        Write(group.MapPost("release", commands.ReleaseAsync), "release");
        Write(group.MapPost("recovery/start", commands.StartRecoveryAsync), "recovery start");
        Write(group.MapPost("recovery/complete", commands.CompleteRecoveryAsync), "recovery complete");
        ScopeEndpoints.Map(group, options, policies);

        if (options.EnableDashboard)
        {
            var dashboard = new DashboardEndpoints();
            Read(group.MapGet("/", dashboard.PageAsync), "dashboard");
            Read(group.MapGet("dashboard.css", dashboard.StyleAsync), "dashboard style");
            Read(group.MapGet("dashboard.js", dashboard.ScriptAsync), "dashboard script");
            Read(group.MapGet("health-report.js", dashboard.HealthReportScriptAsync), "dashboard health report script");
            Read(group.MapGet("scope-tree.js", dashboard.ScopeTreeScriptAsync), "dashboard scope tree script");
            Read(group.MapGet("health-report.css", dashboard.HealthReportStyleAsync), "dashboard health report style");
        }
        return group;

        void Read(IEndpointConventionBuilder endpoint, string name)
        {
            endpoint.WithDisplayName("Degradation " + name).WithMetadata(new DegradationEndpointMetadata(policies.ReadRequirement));
            policies.RequireRead(endpoint);
        }

        void Write(IEndpointConventionBuilder endpoint, string name)
        {
            endpoint.WithDisplayName("Degradation " + name).WithMetadata(new DegradationEndpointMetadata(policies.WriteRequirement));
            policies.RequireWrite(endpoint);
        }
    }

    private static void RequireServices(IServiceProvider services)
    {
        var registry = services.GetService<IServiceProviderIsService>();
        if (registry is not null && !registry.IsService(typeof(DegradationSystem)))
            throw new InvalidOperationException(
                "MapDegradationEndpoints needs a DegradationSystem in dependency injection: call services.AddGracefulDegradation() " +
                "or register one, e.g. services.AddSingleton(sp => DegradationSystem.Create(options, timeProvider)).");
        if (services.GetService<IAuthorizationPolicyProvider>() is null)
            throw new InvalidOperationException(
                "MapDegradationEndpoints needs authorization (every write is authorized): call services.AddAuthorization().");
        if (services.GetService<IAuthenticationSchemeProvider>() is null)
            throw new InvalidOperationException(
                "MapDegradationEndpoints needs authentication to identify operators: call services.AddAuthentication(...) with a scheme.");
        if (services.GetService<IAuthorizationMiddlewareResultHandler>() is not ProblemAuthorizationResultHandler)
            throw new InvalidOperationException(
                "MapDegradationEndpoints needs services.AddDegradationEndpoints() (after any custom IAuthorizationMiddlewareResultHandler): " +
                "it makes the API's 401 and 403 answers problem+json with nosniff, like every other answer.");
    }
}
