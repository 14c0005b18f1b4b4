using Degradation.Hosting;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Adds the degradation health checks: <c>live</c> for liveness probes, <c>ready</c> for readiness (trading allowed).</summary>
public static class DegradationHealthChecksBuilderExtensions
{
    /// <summary>The tag of the liveness check.</summary>
    public const string LiveTag = "live";

    /// <summary>The tag of the readiness check.</summary>
    public const string ReadyTag = "ready";

    /// <summary>
    /// Adds a readiness check named <paramref name="name"/> that reports the system mode (Normal Healthy;
    /// Degraded and Recovering Degraded; SafeMode, SafeModeDisconnected and Halt Unhealthy), tagged
    /// <c>ready</c> unless <paramref name="tags"/> says otherwise. Never wire it as a liveness probe: a halted
    /// process would be restarted.
    /// </summary>
    public static IHealthChecksBuilder AddDegradationCheck(this IHealthChecksBuilder builder, string name = "degradation", IEnumerable<string>? tags = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        return builder.AddCheck<DegradationHealthCheck>(name, HealthStatus.Unhealthy, tags ?? [ReadyTag]);
    }

    /// <summary>Adds a liveness check named <paramref name="name"/> (see <see cref="DegradationLivenessCheck"/>), tagged <c>live</c>.</summary>
    public static IHealthChecksBuilder AddDegradationLivenessCheck(this IHealthChecksBuilder builder, string name = "degradation-live", IEnumerable<string>? tags = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        return builder.AddCheck<DegradationLivenessCheck>(name, HealthStatus.Unhealthy, tags ?? [LiveTag]);
    }

    /// <summary>
    /// Adds both checks: <c>degradation-live</c> (tag <c>live</c>) and <c>degradation</c> (tag <c>ready</c>).
    /// Map the liveness endpoint to the <c>live</c> tag and the readiness endpoint to the <c>ready</c> tag.
    /// </summary>
    public static IHealthChecksBuilder AddDegradationChecks(this IHealthChecksBuilder builder) =>
        builder.AddDegradationLivenessCheck().AddDegradationCheck();
}
