using Degradation.Hosting;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Adds the degradation health check.</summary>
public static class DegradationHealthChecksBuilderExtensions
{
    /// <summary>Adds a health check named <paramref name="name"/> that reports the system mode.</summary>
    public static IHealthChecksBuilder AddDegradationCheck(this IHealthChecksBuilder builder, string name = "degradation", IEnumerable<string>? tags = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        return builder.AddCheck<DegradationHealthCheck>(name, HealthStatus.Unhealthy, tags ?? []);
    }
}
