namespace Degradation.State;

/// <summary>One active condition of a component: a reason and the mode it demands.</summary>
/// <param name="Reason">The failure reason.</param>
/// <param name="Mode">The mode the decision matrix maps it to.</param>
/// <param name="Since">Wall time it was first raised.</param>
public readonly record struct ActiveCondition(ReasonCode Reason, SystemMode Mode, DateTimeOffset Since)
{
    /// <summary>Who raised it; only a <see cref="EventType.Recovered"/> event from the same source clears it.</summary>
    public ConditionSource Source { get; init; }
}
