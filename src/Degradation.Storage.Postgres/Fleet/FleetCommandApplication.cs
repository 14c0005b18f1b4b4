namespace Degradation.Storage.Postgres;

/// <summary>A fleet command as one process handled it.</summary>
/// <param name="Command">The command.</param>
/// <param name="Outcome">What the process did.</param>
/// <param name="Details">Why, for outcomes other than <see cref="FleetCommandOutcome.Applied"/> and <see cref="FleetCommandOutcome.Released"/>.</param>
/// <param name="Timestamp">When it was handled (<see cref="TimeProvider.GetTimestamp"/> of the system's clock).</param>
public sealed record FleetCommandApplication(FleetCommand Command, FleetCommandOutcome Outcome, string? Details, long Timestamp);
