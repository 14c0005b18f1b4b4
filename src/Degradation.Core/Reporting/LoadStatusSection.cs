using System.Globalization;

namespace Degradation.Reporting;

/// <summary>Reports the load level, its inputs, the cooldown and (optionally) what the shedder has shed.</summary>
public sealed class LoadStatusSection(LoadLevelMonitor monitor, LoadShedder? shedder = null) : IStatusSection
{
    private readonly LoadLevelMonitor _monitor = monitor ?? throw new ArgumentNullException(nameof(monitor));

    /// <inheritdoc />
    public string Name => "Load";

    /// <inheritdoc />
    public IEnumerable<string> GetLines()
    {
        var status = _monitor.GetStatus();
        var inv = CultureInfo.InvariantCulture;
        yield return string.Format(inv, "Level: {0} (accepting data: {1}, skip enrichment: {2}, spill to disk: {3})",
            status.Level, status.IsAcceptingData ? "yes" : "NO", status.Level >= LoadLevel.Soft ? "yes" : "no", status.Level >= LoadLevel.Aggressive ? "yes" : "no");
        yield return string.Format(inv, "Last sample: lag {0:N0}, heap {1:0.#}%", status.LastLag, status.LastHeapPercent);
        if (status.CooldownRemaining > TimeSpan.Zero)
            yield return string.Format(inv, "Recovery cooldown: {0:0.#} s left", status.CooldownRemaining.TotalSeconds);
        yield return string.Format(inv, "Level changes: {0}{1}", status.TransitionCount, status.LastChange is { } last ? "; last " + last : "");
        if (shedder is not null)
        {
            var c = shedder.Counters;
            yield return string.Format(inv, "Shed: {0:N0} (critical {1:N0}, high {2:N0}, normal {3:N0}, low {4:N0})", c.TotalShed, c.ShedCritical, c.ShedHigh, c.ShedNormal, c.ShedLow);
        }
    }
}
