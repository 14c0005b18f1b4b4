using System.Globalization;

namespace Degradation.Reporting;

/// <summary>Reports the alert router's counters and each route's health.</summary>
public sealed class AlertStatusSection(AlertRouter router) : IStatusSection
{
    private readonly AlertRouter _router = router ?? throw new ArgumentNullException(nameof(router));

    /// <inheritdoc />
    public string Name => "Alerts";

    /// <inheritdoc />
    public IEnumerable<string> GetLines()
    {
        yield return string.Format(CultureInfo.InvariantCulture, "Published {0}, delivered {1}, failed {2}, dropped {3}, unrouted {4}, pending {5}",
            _router.PublishedCount, _router.DeliveredCount, _router.FailureCount, _router.DroppedCount, _router.UnroutedCount, _router.PendingCount);
        foreach (var route in _router.GetRoutes())
        {
            yield return string.Format(CultureInfo.InvariantCulture, "{0} {1} [{2} >= {3}]: delivered {4}, failed {5}, skipped {6}{7}",
                route.IsDown ? "x" : "-", route.Name, route.Audience ?? "all", route.MinimumSeverity, route.Delivered, route.Failures, route.Skipped,
                route.IsDown ? " DOWN: " + route.LastError : "");
        }
    }
}
