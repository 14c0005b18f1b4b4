namespace Degradation.Features;

/// <summary>One change of the feature degradation level.</summary>
/// <param name="From">Level before.</param>
/// <param name="To">Level after.</param>
/// <param name="Reason">Why.</param>
/// <param name="OperatorId">The operator, if an operator set it.</param>
/// <param name="WallTime">When.</param>
public readonly record struct FeatureLevelChange(FeatureDegradationLevel From, FeatureDegradationLevel To, string Reason, string? OperatorId, DateTimeOffset WallTime)
{
    /// <inheritdoc />
    public override string ToString() => $"{From} -> {To} ({Reason}{(OperatorId is null ? "" : ", by " + OperatorId)})";
}
