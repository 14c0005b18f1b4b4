using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Degradation.Hosting;

/// <summary>
/// Maps the system mode to health: Normal → Healthy; Degraded and Recovering → Degraded;
/// SafeMode, SafeModeDisconnected and Halt → Unhealthy. The data carry mode, stage and component levels.
/// </summary>
public sealed class DegradationHealthCheck(DegradationSystem system) : IHealthCheck
{
    /// <inheritdoc />
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var snapshot = system.Gate.Snapshot;
        var data = new Dictionary<string, object>(StringComparer.Ordinal)
        {
            ["mode"] = WireNames.Of(snapshot.Mode),
            ["reason"] = snapshot.Reason.Value,
        };
        if (snapshot.Stage is { } stage) data["stage"] = WireNames.Of(stage);
        if (system.StateMachine.Override is { } active)
        {
            data["override"] = WireNames.Of(active.Mode);
            data["override_expires_at"] = active.ExpiresAt;
        }
        foreach (var component in system.StateMachine.GetComponents())
            data["component." + component.Id.Name] = component.Level.ToString().ToLowerInvariant();

        var description = $"mode {WireNames.Of(snapshot.Mode)}{(snapshot.Stage is { } s ? "/" + WireNames.Of(s) : "")} ({snapshot.Reason})";
        var result = snapshot.Mode switch
        {
            SystemMode.Normal => HealthCheckResult.Healthy(description, data),
            SystemMode.Degraded or SystemMode.Recovering => HealthCheckResult.Degraded(description, data: data),
            _ => new HealthCheckResult(context?.Registration?.FailureStatus ?? HealthStatus.Unhealthy, description, data: data),
        };
        return Task.FromResult(result);
    }
}
