using System.Globalization;
using System.Net;
using System.Text;
using TradingHost.Scenarios;

namespace TradingHost.Reporting;

/// <summary>
/// Renders the scenario results as one self-contained HTML page (inline CSS and SVG, no script, no network): per
/// scenario a timeline of the mode and recovery stage, the faults injected, order decisions allowed and refused per
/// second, and buffered and replayed database writes.
/// </summary>
public static class HtmlReportWriter
{
    private const int Width = 1100;
    private const int Left = 70;
    private const int Right = 20;
    private const int PlotWidth = Width - Left - Right;
    private const int ModeTop = 28, ModeHeight = 30;
    private const int OrdersTop = 90, OrdersHeight = 110;
    private const int WritesTop = 235, WritesHeight = 70;
    private const int Height = 335;

    private static readonly (string Mode, string Color)[] ModeColors =
    [
        ("Normal", "#2f9e44"), ("Recovering", "#f2c200"), ("Degraded", "#f08c00"),
        ("SafeMode", "#e8590c"), ("SafeModeDisconnected", "#c2255c"), ("Halt", "#212529"),
    ];

    public static string Render(IReadOnlyList<ScenarioResult> results)
    {
        ArgumentNullException.ThrowIfNull(results);
        var sb = new StringBuilder();
        sb.Append("""
            <!DOCTYPE html>
            <html lang="en"><head><meta charset="utf-8">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <title>TradingHost scenario report</title>
            <style>
            body{font:14px/1.45 system-ui,-apple-system,"Segoe UI",sans-serif;margin:24px;color:#212529;background:#f8f9fa}
            h1{font-size:22px;margin:0 0 4px} h2{font-size:17px;margin:0 0 2px}
            .summary{margin:0 0 18px;color:#495057}
            section.scenario{background:#fff;border:1px solid #dee2e6;border-radius:6px;padding:14px 16px;margin:0 0 18px;max-width:1140px}
            .met{color:#2f9e44;font-weight:600} .failed{color:#c92a2a;font-weight:600}
            .facts{color:#495057;margin:2px 0 8px} .facts span{margin-right:16px}
            ol.marks{margin:6px 0 0;padding-left:22px;color:#343a40} .failures{color:#c92a2a}
            .legend span{display:inline-block;margin-right:14px} .legend i{display:inline-block;width:12px;height:12px;margin-right:4px;vertical-align:-1px;border-radius:2px}
            svg text{font:11px system-ui,sans-serif;fill:#495057}
            </style></head><body>
            <h1>TradingHost scenario report</h1>
            """);
        var met = results.Count(r => r.ExpectationMet);
        sb.Append(CultureInfo.InvariantCulture, $"<p class=\"summary\">{met} of {results.Count} scenarios met their expectations. Times are simulated seconds since the scenario started trading.</p>\n");
        sb.Append("<p class=\"legend\">");
        foreach (var (mode, color) in ModeColors) sb.Append(CultureInfo.InvariantCulture, $"<span><i style=\"background:{color}\"></i>{mode}</span>");
        sb.Append("<span><i style=\"background:#2f9e44;opacity:.35\"></i>orders allowed/s</span><span><i style=\"background:#c92a2a;opacity:.35\"></i>orders refused/s</span>");
        sb.Append("<span><i style=\"background:#f08c00\"></i>writes buffered</span><span><i style=\"background:#1c7ed6\"></i>writes replayed</span></p>\n");
        foreach (var result in results) RenderScenario(sb, result);
        sb.Append("</body></html>\n");
        return sb.ToString();
    }

    private static void RenderScenario(StringBuilder sb, ScenarioResult r)
    {
        var id = "scenario-" + r.Name;
        sb.Append(CultureInfo.InvariantCulture, $"<section class=\"scenario\" id=\"{Enc(id)}\"><h2>{Enc(r.Name)} <span class=\"{(r.ExpectationMet ? "met" : "failed")}\">{(r.ExpectationMet ? "expectation met" : "EXPECTATION NOT MET")}</span></h2>\n");
        sb.Append(CultureInfo.InvariantCulture, $"<div>{Enc(r.Description)}</div>\n<div class=\"facts\">");
        sb.Append(CultureInfo.InvariantCulture, $"<span>allowed {r.AllowedByMode.Values.Sum():N0}</span><span>refused {r.RefusedByMode.Values.Sum():N0}</span>");
        sb.Append(CultureInfo.InvariantCulture, $"<span>buffered {r.EntriesBuffered:N0}</span><span>replayed {r.EntriesReplayed:N0}</span><span>lost {r.EntriesLost:N0}</span>");
        if (r.FaultToGateClosedMs is { } closed) sb.Append(CultureInfo.InvariantCulture, $"<span>fault→closed {closed:0} ms</span>");
        if (r.RecoveryMs is { } recovery) sb.Append(CultureInfo.InvariantCulture, $"<span>recovery {recovery / 1000:0.0} s</span>");
        sb.Append("</div>\n");
        var samples = r.Timeline.Samples;
        if (samples.Count < 2)
        {
            sb.Append("<p>No timeline was recorded (the scenario did not start trading).</p>");
        }
        else
        {
            RenderSvg(sb, r, samples);
        }
        var marks = r.Timeline.Marks;
        if (marks.Count > 0)
        {
            sb.Append("<ol class=\"marks\">");
            foreach (var mark in marks) sb.Append(CultureInfo.InvariantCulture, $"<li>[{mark.Seconds:0.0} s] {Enc(mark.Text)}</li>");
            sb.Append("</ol>\n");
        }
        foreach (var failure in r.Failures) sb.Append(CultureInfo.InvariantCulture, $"<p class=\"failures\">{Enc(failure)}</p>\n");
        sb.Append("</section>\n");
    }

    private static void RenderSvg(StringBuilder sb, ScenarioResult r, IReadOnlyList<TimelineSample> samples)
    {
        var end = Math.Max(samples[^1].Seconds, 1);
        double X(double seconds) => Left + Math.Clamp(seconds / end, 0, 1) * PlotWidth;
        sb.Append(CultureInfo.InvariantCulture, $"<svg class=\"timeline\" role=\"img\" aria-label=\"timeline of {Enc(r.Name)}\" viewBox=\"0 0 {Width} {Height}\" width=\"{Width}\" height=\"{Height}\" xmlns=\"http://www.w3.org/2000/svg\">\n");

        // Mode band: from the recorded transitions (exact times), starting from the first sample's mode.
        Text(sb, 4, ModeTop + 19, "mode");
        var segments = ModeSegments(samples, r.Timeline.Transitions, end);
        foreach (var (from, to, mode) in segments)
        {
            var x0 = X(from);
            var w = Math.Max(X(to) - x0, 0.5);
            sb.Append(CultureInfo.InvariantCulture, $"<rect class=\"mode\" data-mode=\"{Enc(mode)}\" x=\"{x0:0.#}\" y=\"{ModeTop}\" width=\"{w:0.#}\" height=\"{ModeHeight}\" fill=\"{ColorOf(mode)}\"><title>{Enc(mode)} {from:0.0}–{to:0.0} s</title></rect>\n");
            var label = mode.Contains('/', StringComparison.Ordinal) ? mode[(mode.IndexOf('/', StringComparison.Ordinal) + 1)..] : mode;
            if (w > label.Length * 6.5 + 6)
                sb.Append(CultureInfo.InvariantCulture, $"<text x=\"{x0 + 4:0.#}\" y=\"{ModeTop + 19}\" style=\"fill:{(mode.StartsWith("Recovering", StringComparison.Ordinal) ? "#212529" : "#fff")}\">{Enc(label)}</text>\n");
        }

        // Orders allowed/refused per second, from the cumulative counters.
        // Each rate holds over its own sampling interval (a step), so a late sample cannot draw a false ramp.
        var rates = new List<(double T, double Allowed, double Refused)>();
        for (var i = 1; i < samples.Count; i++)
        {
            var dt = samples[i].Seconds - samples[i - 1].Seconds;
            if (dt <= 0) continue;
            var allowed = (samples[i].Allowed - samples[i - 1].Allowed) / dt;
            var refused = (samples[i].Refused - samples[i - 1].Refused) / dt;
            rates.Add((samples[i - 1].Seconds, allowed, refused));
            rates.Add((samples[i].Seconds, allowed, refused));
        }
        var maxRate = Math.Max(1, rates.Count == 0 ? 1 : rates.Max(p => Math.Max(p.Allowed, p.Refused)));
        Text(sb, 4, OrdersTop + 12, "orders/s");
        Text(sb, 4, OrdersTop + 26, maxRate.ToString("N0", CultureInfo.InvariantCulture));
        Axis(sb, OrdersTop, OrdersHeight);
        double YOrders(double v) => OrdersTop + OrdersHeight - v / maxRate * OrdersHeight;
        Area(sb, "allowed", "#2f9e44", rates.Select(p => (X(p.T), YOrders(p.Allowed))), OrdersTop + OrdersHeight);
        Area(sb, "refused", "#c92a2a", rates.Select(p => (X(p.T), YOrders(p.Refused))), OrdersTop + OrdersHeight);

        // Buffered and replayed writes (cumulative).
        var maxWrites = Math.Max(1, samples.Max(s => Math.Max(s.Buffered, s.Replayed)));
        Text(sb, 4, WritesTop + 12, "writes");
        Text(sb, 4, WritesTop + 26, maxWrites.ToString("N0", CultureInfo.InvariantCulture));
        Axis(sb, WritesTop, WritesHeight);
        double YWrites(double v) => WritesTop + WritesHeight - v / maxWrites * WritesHeight;
        Line(sb, "buffered", "#f08c00", samples.Select(s => (X(s.Seconds), YWrites(s.Buffered))));
        Line(sb, "replayed", "#1c7ed6", samples.Select(s => (X(s.Seconds), YWrites(s.Replayed))));

        // Faults and operator actions: numbered dashed lines, listed under the chart.
        var marks = r.Timeline.Marks;
        for (var i = 0; i < marks.Count; i++)
        {
            var x = X(marks[i].Seconds);
            sb.Append(CultureInfo.InvariantCulture, $"<line class=\"mark\" x1=\"{x:0.#}\" x2=\"{x:0.#}\" y1=\"{ModeTop - 6}\" y2=\"{WritesTop + WritesHeight}\" stroke=\"#495057\" stroke-dasharray=\"4 3\"><title>{Enc(marks[i].Text)}</title></line>\n");
            Text(sb, x + 3, ModeTop - 9, (i + 1).ToString(CultureInfo.InvariantCulture));
        }

        // Time axis.
        var step = NiceStep(end);
        for (var t = 0.0; t <= end + 1e-9; t += step)
            Text(sb, X(t) - 6, Height - 8, t.ToString("0.#", CultureInfo.InvariantCulture) + " s");
        sb.Append("</svg>\n");
    }

    private static List<(double From, double To, string Mode)> ModeSegments(IReadOnlyList<TimelineSample> samples, IReadOnlyList<TimelineTransition> transitions, double end)
    {
        var segments = new List<(double, double, string)>();
        var current = samples[0].Mode;
        var since = 0.0;
        var changes = transitions.Count > 0
            ? transitions.Where(t => t.Seconds >= 0).Select(t => (t.Seconds, t.To)).ToList()
            : samples.Skip(1).Select(s => (s.Seconds, s.Mode)).ToList();
        foreach (var (at, to) in changes)
        {
            if (to == current) continue;
            segments.Add((since, Math.Min(at, end), current));
            current = to;
            since = Math.Min(at, end);
        }
        segments.Add((since, end, current));
        return segments;
    }

    private static void Axis(StringBuilder sb, int top, int height) =>
        sb.Append(CultureInfo.InvariantCulture, $"<line x1=\"{Left}\" x2=\"{Left + PlotWidth}\" y1=\"{top + height}\" y2=\"{top + height}\" stroke=\"#adb5bd\"/>\n");

    private static void Area(StringBuilder sb, string name, string color, IEnumerable<(double X, double Y)> points, double baseline)
    {
        var list = points.ToList();
        if (list.Count == 0) return;
        var path = new StringBuilder();
        path.Append(CultureInfo.InvariantCulture, $"M{list[0].X:0.#},{baseline:0.#}");
        foreach (var (x, y) in list) path.Append(CultureInfo.InvariantCulture, $" L{x:0.#},{y:0.#}");
        path.Append(CultureInfo.InvariantCulture, $" L{list[^1].X:0.#},{baseline:0.#} Z");
        sb.Append(CultureInfo.InvariantCulture, $"<path class=\"series {name}\" d=\"{path}\" fill=\"{color}\" fill-opacity=\"0.35\" stroke=\"{color}\" stroke-width=\"1\"/>\n");
    }

    private static void Line(StringBuilder sb, string name, string color, IEnumerable<(double X, double Y)> points)
    {
        var list = points.ToList();
        if (list.Count == 0) return;
        var coordinates = string.Join(" ", list.Select(p => string.Create(CultureInfo.InvariantCulture, $"{p.X:0.#},{p.Y:0.#}")));
        sb.Append(CultureInfo.InvariantCulture, $"<polyline class=\"series {name}\" points=\"{coordinates}\" fill=\"none\" stroke=\"{color}\" stroke-width=\"2\"/>\n");
    }

    private static void Text(StringBuilder sb, double x, double y, string text) =>
        sb.Append(CultureInfo.InvariantCulture, $"<text x=\"{x:0.#}\" y=\"{y:0.#}\">{Enc(text)}</text>\n");

    private static double NiceStep(double end)
    {
        foreach (var step in new[] { 1.0, 2, 5, 10, 15, 30, 60, 120, 300 })
            if (end / step <= 12) return step;
        return 600;
    }

    private static string ColorOf(string mode)
    {
        var name = mode.Split('/')[0];
        foreach (var (m, color) in ModeColors) if (m == name) return color;
        return "#868e96";
    }

    private static string Enc(string text) => WebUtility.HtmlEncode(text);
}
