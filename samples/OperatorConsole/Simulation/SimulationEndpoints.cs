using Degradation;
using Degradation.AspNetCore;
using Microsoft.AspNetCore.Authorization;

namespace OperatorConsole.Simulation;

/// <summary>
/// GET /sim/stats (any signed-in user) and POST/DELETE /sim/faults/{name} (operators only) to break and heal
/// simulated dependencies: broker, market_data, risk, db, alerts, position.
/// </summary>
public static class SimulationEndpoints
{
    public static void MapSimulation(this WebApplication app)
    {
        var operators = new AuthorizationPolicyBuilder().RequireAuthenticatedUser().RequireRole(DegradationEndpointOptions.DefaultOperatorRole).Build();
        var sim = app.MapGroup("/sim");
        sim.MapGet("/stats", (TradingStats stats, FaultInjector faults, DegradationSystem system) => Results.Json(new
        {
            mode = WireNames.Of(system.Gate.Mode),
            orders_sent = stats.Sent,
            orders_blocked = stats.Blocked,
            last_refusal = stats.LastRefusal,
            active_faults = faults.Active,
        })).RequireAuthorization();
        sim.MapPost("/faults/{name}", (string name, FaultInjector faults) => Toggle(name, f => faults.Inject(f))).RequireAuthorization(operators);
        sim.MapDelete("/faults/{name}", (string name, FaultInjector faults) => Toggle(name, f => faults.Heal(f))).RequireAuthorization(operators);
    }

    private static IResult Toggle(string name, Func<Fault, bool> toggle)
    {
        if (Fault.Find(name) is not { } fault)
            return Results.ValidationProblem(new Dictionary<string, string[]>
            {
                ["name"] = [$"Unknown fault '{name}': expected one of {string.Join(", ", Fault.All.Select(f => f.Name))}."],
            });
        return toggle(fault)
            ? Results.NoContent()
            : Results.Problem($"Fault '{name}' is already in that state.", statusCode: StatusCodes.Status409Conflict, title: "Nothing to change.");
    }
}
