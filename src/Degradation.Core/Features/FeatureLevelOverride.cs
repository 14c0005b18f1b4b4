namespace Degradation.Features;

/// <summary>
/// An operator's explicit override of the derived feature level (see <see cref="FeatureDegradationController.OverrideLevel"/>).
/// </summary>
/// <param name="Level">The level the operator chose in place of the derived one (it may be milder).</param>
/// <param name="DerivedAtStart">The derived level when the override started: once the derived level becomes stricter than this, the override ends.</param>
/// <param name="OperatorId">Who overrode it.</param>
/// <param name="Reason">Why.</param>
/// <param name="Since">When.</param>
public sealed record FeatureLevelOverride(FeatureDegradationLevel Level, FeatureDegradationLevel DerivedAtStart, string OperatorId, string Reason, DateTimeOffset Since);
