namespace Degradation.Breakers;

/// <summary>
/// Admission of one call by a <see cref="ComponentCircuitBreaker"/>; pass it back to
/// <see cref="ComponentCircuitBreaker.Record(in BreakerPermit, bool)"/>. It carries the breaker's generation, so the
/// outcome of a call admitted before a state change (e.g. before an isolate or a reset) is ignored. A struct: no allocation.
/// </summary>
public readonly struct BreakerPermit
{
    // The trial slot plus one, so that default (0) is "not a trial".
    private readonly int _trialSlotPlusOne;

    internal BreakerPermit(int generation, int trialSlot = -1)
    {
        Generation = generation;
        _trialSlotPlusOne = trialSlot + 1;
    }

    internal int Generation { get; }

    /// <summary>The half-open trial slot this permit holds; -1 for an ordinary call.</summary>
    internal int TrialSlot => _trialSlotPlusOne - 1;

    /// <summary>True for a half-open trial call.</summary>
    public bool IsTrial => _trialSlotPlusOne != 0;

    /// <summary>False for <c>default</c>: recording it does nothing.</summary>
    public bool IsValid => Generation != 0;
}
