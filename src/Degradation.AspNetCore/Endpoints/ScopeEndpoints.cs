using System.Globalization;
using System.Text;
using Degradation.AspNetCore.Contracts;
using Degradation.Operator;
using Degradation.Scopes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Degradation.AspNetCore.Endpoints;

/// <summary>
/// The scope tree over HTTP. GET <c>scopes</c> lists every scope with its own and effective mode; POST
/// <c>scopes/{path}/halt</c>, <c>scopes/{path}/force</c> and <c>scopes/{path}/release</c> (behind the write policy) run the
/// scope state machine's own operator commands, so a scope's kill switch, override and release follow exactly the rules
/// of the process's. The path is given as one to three route segments (<c>scopes/venue-a/acct-1/halt</c>); no segment
/// addresses the process (<c>scopes/halt</c> is the firm-wide kill switch). A refusal answers 409 with the result.
/// </summary>
internal sealed class ScopeEndpoints(DegradationEndpointOptions options)
{
    private static readonly string[] Segments = ["s1", "s2", "s3"];

    /// <summary>Maps the scope endpoints on <paramref name="group"/>.</summary>
    public static void Map(RouteGroupBuilder group, DegradationEndpointOptions options, AccessPolicies policies)
    {
        var endpoints = new ScopeEndpoints(options);
        var read = group.MapGet("scopes", endpoints.ListAsync).WithDisplayName("Degradation scopes");
        policies.RequireRead(read);
        for (var depth = 0; depth <= ScopeLevelCount; depth++)
        {
            var route = "scopes/" + string.Concat(Segments.Take(depth).Select(s => "{" + s + "}/"));
            foreach (var (command, handler) in new (string, RequestDelegate)[] { ("halt", endpoints.HaltAsync), ("force", endpoints.ForceAsync), ("release", endpoints.ReleaseAsync) })
                policies.RequireWrite(group.MapPost(route + command, handler).WithDisplayName($"Degradation scope {command} (depth {depth})"));
        }
    }

    private const int ScopeLevelCount = 3;

    public Task ListAsync(HttpContext context)
    {
        context.Response.Headers.CacheControl = "no-store";
        return TypedResults.Json(ScopeMapper.ToScopes(SystemAccessor.Get(context).Scopes), ScopeJsonContext.Default.ScopesResponse).ExecuteAsync(context);
    }

    public Task HaltAsync(HttpContext context) => RunAsync(context, static (scope, body, operatorId, _) =>
        scope.StateMachine.Halt(operatorId, body.Reason!, body.ExpectedSequence));

    public Task ForceAsync(HttpContext context) => RunAsync(context, static (scope, body, operatorId, errors) =>
    {
        var policy = scope.StateMachine.Policy;
        var mode = default(SystemMode);
        if (string.IsNullOrWhiteSpace(body.Mode))
            errors.Add("mode", $"'mode' is required: one of {string.Join(", ", WireNames.Modes)}.");
        else if (!WireNames.TryParseMode(body.Mode, out mode))
            errors.Add("mode", $"Unknown mode '{body.Mode}': expected one of {string.Join(", ", WireNames.Modes)}.");
        var ttl = TimeSpan.Zero;
        if (body.TtlSeconds is not { } seconds || !double.IsFinite(seconds) || Math.Abs(seconds) > int.MaxValue)
            errors.Add("ttl_seconds", $"'ttl_seconds' is required: between {Format(policy.MinOverride.TotalSeconds)} and {Format(policy.MaxOverride.TotalSeconds)}.");
        else
            ttl = TimeSpan.FromSeconds(seconds);
        if (errors.Any) return null;
        return scope.StateMachine.ForceMode(mode, ttl, operatorId, body.Reason!, body.ExpectedSequence, Acknowledged(body));
    });

    public Task ReleaseAsync(HttpContext context) => RunAsync(context, static (scope, body, operatorId, errors) =>
    {
        switch (body.Target ?? "halt")
        {
            case "halt":
                return scope.StateMachine.ReleaseHalt(operatorId, body.Reason!, body.ExpectedSequence, Acknowledged(body));
            case "override":
                return scope.StateMachine.ReleaseOverride(operatorId, body.Reason, body.ExpectedSequence);
            default:
                errors.Add("target", $"Unknown release target '{body.Target}': expected 'halt' or 'override'.");
                return null;
        }
    });

    private delegate OperatorCommandResult? ScopeCommand(TradingScope scope, ScopeCommandRequest body, string operatorId, FieldErrors errors);

    private async Task RunAsync(HttpContext context, ScopeCommand command)
    {
        var (body, bodyError) = await JsonBody.ReadAsync(context, ScopeJsonContext.Default.ScopeCommandRequest, options.MaxBodyBytes).ConfigureAwait(false);
        if (bodyError is not null) { await bodyError.ExecuteAsync(context).ConfigureAwait(false); return; }
        var operatorId = OperatorIdentity.Find(context.User, options.OperatorIdClaimType);
        if (operatorId is null)
        {
            await Problems.NoOperatorId(OperatorIdentity.Describe(options.OperatorIdClaimType)).ExecuteAsync(context).ConfigureAwait(false);
            return;
        }
        var system = SystemAccessor.Get(context);
        var path = PathOf(context);
        if (!system.Scopes.TryResolve(path, out var scope))
        {
            await Results.Problem(statusCode: StatusCodes.Status404NotFound, title: "Unknown scope",
                detail: $"Scope '{path}' is not configured.").ExecuteAsync(context).ConfigureAwait(false);
            return;
        }
        var errors = new FieldErrors();
        CheckReason(body!.Reason, errors);
        IResult result;
        try
        {
            var outcome = errors.Any ? null : command(scope, body with { Reason = body.Reason!.Trim() }, operatorId, errors);
            if (errors.Any || outcome is null) result = Problems.Validation(errors);
            else
            {
                var response = new ScopeCommandResponse
                {
                    Accepted = outcome.Accepted,
                    Refusal = outcome.Accepted ? null : SnakeCase(outcome.Refusal.ToString()),
                    Message = outcome.Message,
                    Transition = outcome.Transition is { } t ? ContractMapper.ToResponse(t) : null,
                    Scope = ScopeMapper.ToResponse(scope),
                };
                result = TypedResults.Json(response, ScopeJsonContext.Default.ScopeCommandResponse, statusCode: outcome.Accepted ? 200 : 409);
            }
        }
        catch (ArgumentException error)
        {
            result = Problems.FromArgumentError(error);
        }
        context.Response.Headers.CacheControl = "no-store";
        await result.ExecuteAsync(context).ConfigureAwait(false);
    }

    private static string PathOf(HttpContext context)
    {
        var parts = new List<string>(3);
        foreach (var segment in Segments)
            if (context.Request.RouteValues.TryGetValue(segment, out var value) && value is string part) parts.Add(part);
        return string.Join('/', parts);
    }

    private static ReasonCode[]? Acknowledged(ScopeCommandRequest body) =>
        body.Acknowledge is null ? null : [.. body.Acknowledge.Where(r => !string.IsNullOrWhiteSpace(r)).Select(r => new ReasonCode(r))];

    private void CheckReason(string? reason, FieldErrors errors)
    {
        if (string.IsNullOrWhiteSpace(reason))
            errors.Add("reason", "'reason' is required and must not be empty: say why (it is audited).");
        else if (reason.Trim().Length > options.MaxReasonLength)
            errors.Add("reason", $"'reason' is {reason.Trim().Length.ToString(CultureInfo.InvariantCulture)} characters; at most {options.MaxReasonLength.ToString(CultureInfo.InvariantCulture)} are accepted.");
    }

    private static string SnakeCase(string name)
    {
        var text = new StringBuilder(name.Length + 4);
        for (var i = 0; i < name.Length; i++)
        {
            if (char.IsUpper(name[i]) && i > 0) text.Append('_');
            text.Append(char.ToLowerInvariant(name[i]));
        }
        return text.ToString();
    }

    private static string Format(double value) => value.ToString("0.###", CultureInfo.InvariantCulture);
}
