namespace Degradation.AspNetCore.Contracts;

/// <summary>
/// The 409 <c>application/problem+json</c> answer to a refused operator command: what was refused and why, the current
/// sequence to resend with, and the conditions in the way (wire names), to acknowledge if the operator still means it.
/// </summary>
public sealed class CommandRefusalResponse
{
    /// <summary>A URI naming the problem type.</summary>
    public required string Type { get; init; }
    /// <summary>A short title, e.g. "Acknowledgement required.".</summary>
    public required string Title { get; init; }
    /// <summary>Always 409.</summary>
    public required int Status { get; init; }
    /// <summary>What happened, with wire names for modes and reasons.</summary>
    public required string Detail { get; init; }
    /// <summary>
    /// <c>sequence_mismatch</c>, <c>acknowledgement_required</c>, <c>stale_acknowledgement</c>, <c>halt_active</c>,
    /// <c>not_halted</c>, <c>no_override</c> or <c>not_persisted</c>.
    /// </summary>
    public required string Refusal { get; init; }
    /// <summary>The sequence of the last transition when the command was decided: send it as <c>expected_sequence</c>.</summary>
    public required long CurrentSequence { get; init; }
    /// <summary>The conditions that stand in the way.</summary>
    public required IReadOnlyList<ActiveConditionResponse> ActiveConditions { get; init; }
}
