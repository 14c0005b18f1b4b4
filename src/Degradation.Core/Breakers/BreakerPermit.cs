namespace Degradation;

/// <summary>
/// Admission of one call by a <see cref="ComponentCircuitBreaker"/>; pass it back to
/// <see cref="ComponentCircuitBreaker.Record(in BreakerPermit, bool)"/>. It carries the breaker's generation, so the
/// outcome of a call admitted before a state change (e.g. before an isolate or a reset) is ignored. A struct: no allocation.
/// </summary>
public readonly struct BreakerPermit
{
    internal BreakerPermit(int generation, bool isTrial)
    {
        Generation = generation;
        IsTrial = isTrial;
    }

    internal int Generation { get; }

    /// <summary>True for a half-open trial call.</summary>
    public bool IsTrial { get; }

    /// <summary>False for <c>default</c>: recording it does nothing.</summary>
    public bool IsValid => Generation != 0;
}
