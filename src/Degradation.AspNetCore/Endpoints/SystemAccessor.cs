using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace Degradation.AspNetCore.Endpoints;

/// <summary>Resolves the host's <see cref="DegradationSystem"/> from dependency injection.</summary>
internal static class SystemAccessor
{
    public static DegradationSystem Get(HttpContext context) => context.RequestServices.GetRequiredService<DegradationSystem>();
}
