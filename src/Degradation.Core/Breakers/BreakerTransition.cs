namespace Degradation.Breakers;

/// <summary>One state change made by a <see cref="BreakerCore"/>, dated to the timestamp it took effect at.</summary>
/// <param name="From">State before.</param>
/// <param name="To">State after.</param>
/// <param name="Generation">The generation after the change; consecutive changes have consecutive generations.</param>
/// <param name="At">When it took effect: for a change due by time, its deadline, not when it was noticed.</param>
/// <param name="Details">Why.</param>
internal readonly record struct BreakerTransition(BreakerState From, BreakerState To, int Generation, long At, string Details);
