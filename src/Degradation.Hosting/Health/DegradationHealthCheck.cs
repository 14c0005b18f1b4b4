using Degradation.State;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Degradation.Hosting;

/// <summary>
/// Maps the system mode to health: Normal → Healthy; Degraded and Recovering → Degraded;
/// SafeMode, SafeModeDisconnected and Halt → Unhealthy. The description says what keeps the system from Normal
/// (<see cref="DegradationStateMachine.ExplainMode"/>); the data carry mode, stage, component levels and those holds, and
/// <c>closed_scopes</c>: the scopes below the process closed at their own level (e.g. <c>"venue-a/acct-1: halt (operator.halt)"</c>).
/// The status is the process's: a halted account does not make the process unready while other accounts trade.
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

        // Scopes closed at their own level (a halted account, a venue recovering) while the process may trade.
        var closedScopes = ClosedScopes(system);
        if (closedScopes.Length > 0) data["closed_scopes"] = closedScopes;
        // The description says what holds the system back from Normal, so a failing readiness probe explains itself.
        var explanation = system.StateMachine.ExplainMode();
        if (explanation.Holds.Count > 0) data["holds"] = explanation.Holds.Select(h => h.Text).ToArray();
        var description = explanation.IsNormal ? $"mode normal ({snapshot.Reason})" : explanation.Summary;
        var result = snapshot.Mode switch
        {
            SystemMode.Normal => HealthCheckResult.Healthy(description, data),
            SystemMode.Degraded or SystemMode.Recovering => HealthCheckResult.Degraded(description, data: data),
            _ => new HealthCheckResult(context?.Registration?.FailureStatus ?? HealthStatus.Unhealthy, description, data: data),
        };
        return Task.FromResult(result);
    }

    private static string[] ClosedScopes(DegradationSystem system)
    {
        if (system.Scopes.Count == 1) return [];
        var closed = new List<string>();
        foreach (var scope in system.Scopes.GetScopes())
        {
            if (scope.IsProcess) continue;
            var own = scope.StateMachine.Gate.Snapshot;
            if (own.Allows(ActionType.Send)) continue;
            closed.Add($"{scope.Path}: {WireNames.Of(own.Mode)}{(own.Stage is { } s ? "/" + WireNames.Of(s) : "")} ({own.Reason})");
        }
        return [.. closed];
    }
}
