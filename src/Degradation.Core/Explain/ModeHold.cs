namespace Degradation.Explain;

/// <summary>One thing that keeps the system from Normal, in words an operator can act on.</summary>
/// <param name="Kind">What kind of hold it is.</param>
/// <param name="Text">A one-line explanation, naming the component, reason, source and what would end it.</param>
/// <param name="Component">The component concerned, if any.</param>
/// <param name="Reason">The condition's reason, if the hold is a condition.</param>
/// <param name="Source">Who raised the condition, if the hold is a condition.</param>
/// <param name="Remaining">How long the hold lasts at least (dwell, stability, override), if it is timed.</param>
public sealed record ModeHold(
    ModeHoldKind Kind,
    string Text,
    ComponentId? Component = null,
    ReasonCode? Reason = null,
    ConditionSource? Source = null,
    TimeSpan? Remaining = null)
{
    /// <inheritdoc />
    public override string ToString() => Text;
}
