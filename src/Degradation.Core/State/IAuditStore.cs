namespace Degradation.State;

/// <summary>
/// Durable record of every transition, override and release (rule 1 in docs/RULES.md), and of every other audited
/// change: fallback tiers, load and feature levels, approvals, operator actions. Called off the state machine's
/// path, in order; a failing store never blocks the state machine, and its failures are counted where it is attached.
/// </summary>
public interface IAuditStore
{
    /// <summary>Stores one transition.</summary>
    ValueTask AppendAsync(ModeTransition transition, CancellationToken cancellationToken);

    /// <summary>
    /// Stores one audit record that is not a transition. A store that was written before records existed does not
    /// store them: the default refuses with <see cref="NotSupportedException"/>, so the loss is counted by whoever
    /// attached the store, never silent.
    /// </summary>
    /// <exception cref="NotSupportedException">The store keeps transitions only.</exception>
    ValueTask AppendAsync(AuditRecord record, CancellationToken cancellationToken) =>
        ValueTask.FromException(new NotSupportedException(
            $"The audit store {GetType().FullName} keeps transitions only; the record '{record?.Action}' was not stored. Implement AppendAsync(AuditRecord, CancellationToken)."));
}
