namespace Degradation.Retry;

/// <summary>A retry was not sent because the trading gate refused the action (e.g. an outage closed it between attempts).</summary>
public sealed class GateRefusedException : InvalidOperationException
{
    /// <summary>Creates the exception from the gate's decision.</summary>
    public GateRefusedException(string idempotencyKey, ActionType action, GateDecision decision, Exception? lastFailure)
        : base($"Retry of '{idempotencyKey}' not sent: the gate refuses {action} in {decision.Mode} ({decision.Advice}).", lastFailure)
    {
        IdempotencyKey = idempotencyKey;
        Decision = decision;
    }

    /// <summary>The operation's key.</summary>
    public string IdempotencyKey { get; }
    /// <summary>The gate's decision.</summary>
    public GateDecision Decision { get; }
}
