namespace Degradation;

/// <summary>
/// The trading hot path's single question: may this action go ahead now? Every member reads one
/// immutable snapshot of mode, stage and permissions: O(1), no allocation, no lock, never throws.
/// </summary>
public interface ITradingGate
{
    /// <summary>True when <paramref name="action"/> is allowed in the current mode (false for an undefined action).</summary>
    bool Allows(ActionType action);

    /// <summary>The full decision for <paramref name="action"/>: allowed, mode, stage, advice, reason, limits.</summary>
    GateDecision Check(ActionType action);

    /// <summary>The current mode.</summary>
    SystemMode Mode { get; }

    /// <summary>The current recovery stage, or null outside <see cref="SystemMode.Recovering"/>.</summary>
    RecoveryStage? Stage { get; }
}
