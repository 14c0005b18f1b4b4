using Degradation.AspNetCore.Contracts;
using Degradation.Health;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace Degradation.AspNetCore.Endpoints;

/// <summary>GET <c>health-report</c>: the registered <see cref="HealthReporter"/>'s report (one over the system alone when none is registered).</summary>
internal static class HealthReportEndpoint
{
    public static Task GetAsync(HttpContext context)
    {
        var reporter = context.RequestServices.GetService<HealthReporter>() ?? new HealthReporter(SystemAccessor.Get(context));
        var response = HealthReportMapper.ToResponse(reporter.Build());
        context.Response.Headers.CacheControl = "no-store";
        return TypedResults.Json(response, HealthReportJsonContext.Default.HealthReportResponse).ExecuteAsync(context);
    }
}
