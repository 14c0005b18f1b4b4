using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Degradation.Hosting;

/// <summary>
/// Liveness: Healthy while the degradation system works (its event bus is running), whatever the mode. Use it
/// for a liveness probe. A halted or safe-mode process is doing its job; restarting it would not fix the broker
/// or the risk limit, and an orchestrator that restarted it would at best lose time and at worst lose the
/// operator's reasoning. Trading readiness is <see cref="DegradationHealthCheck"/> (tag <c>ready</c>).
/// </summary>
public sealed class DegradationLivenessCheck(DegradationSystem system) : IHealthCheck
{
    /// <inheritdoc />
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var snapshot = system.Gate.Snapshot;
        var data = new Dictionary<string, object>(StringComparer.Ordinal)
        {
            ["mode"] = WireNames.Of(snapshot.Mode),
            ["bus_running"] = system.Bus.IsRunning,
        };
        var result = system.Bus.IsRunning
            ? HealthCheckResult.Healthy($"running in mode {WireNames.Of(snapshot.Mode)}", data)
            : new HealthCheckResult(context?.Registration?.FailureStatus ?? HealthStatus.Unhealthy, "the degradation event bus is not running", data: data);
        return Task.FromResult(result);
    }
}
