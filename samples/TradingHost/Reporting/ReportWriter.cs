using System.Globalization;
using System.Text;
using System.Text.Json;
using TradingHost.Scenarios;

namespace TradingHost.Reporting;

/// <summary>Renders scenario results as a console table and as JSON.</summary>
public static class ReportWriter
{
    public static string Table(IReadOnlyList<ScenarioResult> results)
    {
        var rows = new List<string[]>
        {
            new[] { "scenario", "fault→closed", "allowed", "refused", "buffered", "replayed", "lost", "dup orders", "recovery", "met" },
        };
        foreach (var r in results)
        {
            rows.Add(
            [
                r.Name,
                r.FaultToGateClosedMs is { } f ? Ms(f) : "-",
                r.AllowedByMode.Values.Sum().ToString("N0", CultureInfo.InvariantCulture),
                r.RefusedByMode.Values.Sum().ToString("N0", CultureInfo.InvariantCulture),
                r.EntriesBuffered.ToString(CultureInfo.InvariantCulture),
                r.EntriesReplayed.ToString(CultureInfo.InvariantCulture),
                r.EntriesLost.ToString(CultureInfo.InvariantCulture),
                r.DuplicateOrders.ToString(CultureInfo.InvariantCulture),
                r.RecoveryMs is { } rec ? Ms(rec) : "-",
                r.ExpectationMet ? "yes" : "NO",
            ]);
        }
        var widths = Enumerable.Range(0, rows[0].Length).Select(c => rows.Max(r => r[c].Length)).ToArray();
        var sb = new StringBuilder();
        for (var i = 0; i < rows.Count; i++)
        {
            sb.AppendLine(string.Join("  ", rows[i].Select((cell, c) => c == 0 ? cell.PadRight(widths[c]) : cell.PadLeft(widths[c]))).TrimEnd());
            if (i == 0) sb.AppendLine(string.Join("  ", widths.Select(w => new string('-', w))));
        }
        sb.AppendLine();
        sb.AppendLine("allowed / refused order decisions per mode:");
        foreach (var r in results)
        {
            var modes = r.AllowedByMode.Keys.Union(r.RefusedByMode.Keys).Order(StringComparer.Ordinal)
                .Select(m => $"{m} {r.AllowedByMode.GetValueOrDefault(m):N0}/{r.RefusedByMode.GetValueOrDefault(m):N0}");
            sb.AppendLine($"  {r.Name}: {string.Join(", ", modes)}");
        }
        foreach (var r in results.Where(r => !r.ExpectationMet))
            sb.AppendLine($"FAILED {r.Name}: {string.Join("; ", r.Failures)}");
        return sb.ToString();
    }

    public static string Json(IReadOnlyList<ScenarioResult> results) =>
        JsonSerializer.Serialize(new { scenarios = results, allMet = results.All(r => r.ExpectationMet) },
            new JsonSerializerOptions { WriteIndented = true, PropertyNamingPolicy = JsonNamingPolicy.CamelCase });

    private static string Ms(double ms) => ms < 1000 ? $"{ms:0} ms" : $"{ms / 1000:0.0} s";
}
