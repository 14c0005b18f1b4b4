namespace Degradation;

/// <summary>
/// Takes over a gate's publication so that a new snapshot can be ordered with others (the scope tree publishes the
/// descendants' effective snapshots around it). Called synchronously, inside the publishing state machine's lock.
/// </summary>
internal interface IGatePublishHook
{
    /// <summary>Publishes <paramref name="next"/> on <paramref name="gate"/> (through <see cref="TradingGate.Write"/>).</summary>
    void Publish(TradingGate gate, GateSnapshot next);
}
