namespace Degradation.KillSwitches;

/// <summary>
/// Something to do at once, each time the system enters Halt (by an operator's kill switch or automatically):
/// typically cancel every working order through the venue's mass-cancel, or flatten through a risk desk.
/// <para>
/// Why here and not in the strategy: in Halt the permission matrix blocks every action the strategy can ask
/// the gate for, its own cancels included, because a halted system no longer trusts its view of orders and
/// positions and must not act on it piecemeal. A mass-cancel needs no such view: it asks the venue to cancel
/// whatever is working, so it is the one order-related action that is safe in Halt, and it belongs to the Halt
/// itself rather than to code the gate has just shut out.
/// </para>
/// <para>
/// Every registered action runs once per entry into Halt, all of them concurrently, each under the configured
/// timeout (<see cref="OperatorOptions.KillSwitchActionTimeout"/>); the outcome of each (succeeded,
/// failed with the error, timed out) is kept in the status and audited. An action never opens the gate: the
/// system stays halted whatever it does.
/// </para>
/// </summary>
public interface IKillSwitchAction
{
    /// <summary>A short name for status and audit, e.g. <c>venue-mass-cancel</c>.</summary>
    string Name { get; }

    /// <summary>Does the action. Honour <paramref name="cancellationToken"/>: it is cancelled at the timeout and at shutdown.</summary>
    Task ExecuteAsync(KillSwitchContext context, CancellationToken cancellationToken);
}
