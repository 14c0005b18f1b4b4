using System.Diagnostics;

namespace Degradation.Telemetry;

/// <summary>
/// The <see cref="ActivitySource"/> named <c>"Degradation"</c>: recovery runs (<c>degradation.recovery.run</c>), their
/// stages (<c>degradation.recovery.stage</c>, with step, failure and backoff events) and mode transitions
/// (<c>degradation.transition</c>). Listen with OpenTelemetry's <c>AddSource(DegradationActivitySource.Name)</c> or an
/// <see cref="ActivityListener"/>; without a listener nothing is created.
/// </summary>
public static class DegradationActivitySource
{
    /// <summary>The source's name: <c>"Degradation"</c>.</summary>
    public const string Name = "Degradation";

    // One source per process is the ActivitySource convention: listeners subscribe by name, and a source holds no state
    // of any system.
    internal static readonly ActivitySource Source = new(Name, typeof(DegradationActivitySource).Assembly.GetName().Version?.ToString());
}
