using System.Globalization;

namespace Degradation.Reporting;

/// <summary>Reports the feature degradation level and the features it reduces or disables.</summary>
public sealed class FeatureStatusSection(FeatureDegradationController controller) : IStatusSection
{
    private readonly FeatureDegradationController _controller = controller ?? throw new ArgumentNullException(nameof(controller));

    /// <inheritdoc />
    public string Name => "Features";

    /// <inheritdoc />
    public IEnumerable<string> GetLines()
    {
        var level = _controller.Level;
        yield return string.Create(CultureInfo.InvariantCulture, $"Level: {level} (availability {FeatureLevels.Availability(level) * 100:0}%, SLA impact {FeatureLevels.SlaImpact(level)})");
        var listed = _controller.GetListedFeatures(level);
        var reduced = listed.Where(f => f.Value == FeatureState.Reduced).Select(f => f.Key).Order(StringComparer.Ordinal).ToList();
        var disabled = listed.Where(f => f.Value == FeatureState.Disabled).Select(f => f.Key).Order(StringComparer.Ordinal).ToList();
        if (reduced.Count > 0) yield return "Reduced: " + string.Join(", ", reduced);
        if (disabled.Count > 0) yield return "Disabled: " + string.Join(", ", disabled);
        var preserved = listed.Where(f => f.Value == FeatureState.Enabled).Select(f => f.Key).Order(StringComparer.Ordinal).ToList();
        if (_controller.DisablesUnlistedFeatures(level))
            yield return "Everything else disabled" + (preserved.Count > 0 ? "; preserved: " + string.Join(", ", preserved) : "");
    }
}
