namespace Degradation.State;

/// <summary>
/// Durable record of every transition, override and release (rule 1 in docs/RULES.md). Called off the hot path by the
/// transition dispatcher, in sequence order; a failing store never blocks the state machine.
/// </summary>
public interface IAuditStore
{
    /// <summary>Stores one transition.</summary>
    ValueTask AppendAsync(ModeTransition transition, CancellationToken cancellationToken);
}
