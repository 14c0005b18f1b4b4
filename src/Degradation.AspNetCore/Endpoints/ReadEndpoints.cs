using System.Globalization;
using Degradation.AspNetCore.Contracts;
using Microsoft.AspNetCore.Http;

namespace Degradation.AspNetCore.Endpoints;

/// <summary>GET status, permissions, components, history and me.</summary>
internal sealed class ReadEndpoints(DegradationEndpointOptions options, AccessPolicies policies)
{
    public Task StatusAsync(HttpContext context) =>
        Json(context, ContractMapper.ToStatus(SystemAccessor.Get(context)), DegradationJsonContext.Default.StatusResponse);

    public Task PermissionsAsync(HttpContext context) =>
        Json(context, ContractMapper.ToPermissions(SystemAccessor.Get(context).Gate.Snapshot), DegradationJsonContext.Default.PermissionsResponse);

    public Task ComponentsAsync(HttpContext context) =>
        Json(context, ContractMapper.ToComponents(SystemAccessor.Get(context).StateMachine.GetComponents()), DegradationJsonContext.Default.ComponentsResponse);

    public Task HistoryAsync(HttpContext context)
    {
        var errors = new FieldErrors();
        var offset = ParseInt(context, "offset", 0, 0, int.MaxValue, errors);
        var limit = ParseInt(context, "limit", options.DefaultHistoryPageSize, 1, options.MaxHistoryPageSize, errors);
        if (errors.Any) return Problems.Validation(errors).ExecuteAsync(context);
        var page = ContractMapper.ToHistoryPage(SystemAccessor.Get(context).StateMachine, offset, limit);
        return Json(context, page, DegradationJsonContext.Default.HistoryPageResponse);
    }

    public async Task MeAsync(HttpContext context)
    {
        var (canWrite, user) = await policies.EvaluateWriteAsync(context).ConfigureAwait(false);
        var response = new OperatorResponse
        {
            Authenticated = user.Identity?.IsAuthenticated == true,
            OperatorId = OperatorIdentity.Find(user, options.OperatorIdClaimType),
            CanWrite = canWrite,
            LogoutPath = options.LogoutPath,
            WriteRequirement = policies.WriteRequirement,
        };
        await Json(context, response, DegradationJsonContext.Default.OperatorResponse).ConfigureAwait(false);
    }

    private static Task Json<T>(HttpContext context, T value, System.Text.Json.Serialization.Metadata.JsonTypeInfo<T> typeInfo)
    {
        context.Response.Headers.CacheControl = "no-store";
        return TypedResults.Json(value, typeInfo).ExecuteAsync(context);
    }

    private static int ParseInt(HttpContext context, string name, int fallback, int min, int max, FieldErrors errors)
    {
        var values = context.Request.Query[name];
        if (values.Count == 0) return fallback;
        if (values.Count == 1 && int.TryParse(values[0], NumberStyles.None, CultureInfo.InvariantCulture, out var value) && value >= min && value <= max)
            return value;
        errors.Add(name, $"'{name}' must be a whole number between {min.ToString(CultureInfo.InvariantCulture)} and {max.ToString(CultureInfo.InvariantCulture)} (was '{string.Join(",", values.ToArray())}').");
        return fallback;
    }
}
