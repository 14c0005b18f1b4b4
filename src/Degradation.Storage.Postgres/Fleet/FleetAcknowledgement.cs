namespace Degradation.Storage.Postgres;

/// <summary>One process's record of handling a fleet command (<c>fleet_policy_applied</c>).</summary>
/// <param name="CommandId">The command.</param>
/// <param name="ProcessId">The process.</param>
/// <param name="HostId">Its host.</param>
/// <param name="AppliedAt">When the row was written (database clock).</param>
/// <param name="Outcome">What the process did.</param>
/// <param name="Details">Why, when not simply applied.</param>
public sealed record FleetAcknowledgement(Guid CommandId, string ProcessId, string HostId, DateTimeOffset AppliedAt, FleetCommandOutcome Outcome, string? Details);
