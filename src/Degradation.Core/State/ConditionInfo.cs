namespace Degradation.State;

/// <summary>A copy of one active condition with the component it belongs to and who raised it.</summary>
/// <param name="Component">The component the condition is about.</param>
/// <param name="Reason">The failure reason.</param>
/// <param name="Mode">The mode it demands.</param>
/// <param name="Source">Who raised it.</param>
/// <param name="Since">Wall time it was first raised.</param>
public readonly record struct ConditionInfo(ComponentId Component, ReasonCode Reason, SystemMode Mode, ConditionSource Source, DateTimeOffset Since)
{
    /// <inheritdoc />
    public override string ToString() => $"{Component}:{Reason} ({WireNames.Of(Mode)}, from {Source})";
}
