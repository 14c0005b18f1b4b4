using System.Diagnostics;
using System.Text.RegularExpressions;
using TradingHost.Reporting;
using Xunit;
using Xunit.Abstractions;

namespace TradingHost.Tests;

/// <summary>
/// The HTML report of a real run, opened in headless Chromium: one timeline per scenario with its mode band, order
/// rates, writes and fault marks, self-contained (nothing loaded from the network). The screenshot is kept under
/// the test output directory (screenshots/trading-host-report.png).
/// </summary>
[Collection(AllScenariosCollection.Name)]
public sealed partial class HtmlReportTests(AllScenariosFixture run, ITestOutputHelper output)
{
    [Fact]
    public void The_report_is_self_contained_and_has_a_timeline_per_scenario()
    {
        var html = HtmlReportWriter.Render(run.Results);
        Assert.DoesNotMatch(ExternalReference(), html);
        Assert.DoesNotContain("<script", html, StringComparison.OrdinalIgnoreCase);
        foreach (var result in run.Results)
            Assert.Contains($"id=\"scenario-{result.Name}\"", html, StringComparison.Ordinal);
        // A scenario that failed is reported by its own test; the timeline claims are about the ones that ran through.
        foreach (var result in run.Results.Where(r => r.ExpectationMet))
            Assert.True(result.Timeline.Samples.Count > 2, $"{result.Name}: only {result.Timeline.Samples.Count} samples");
        var broker = run.Get("broker-outage");
        Assert.True(broker.ExpectationMet, "broker-outage did not run through: " + string.Join("; ", broker.Failures));
        Assert.Contains(broker.Timeline.Marks, m => m.Text.Contains("drops the connection", StringComparison.Ordinal));
        Assert.Contains(broker.Timeline.Transitions, t => t.To == "SafeModeDisconnected");
        var db = run.Get("db-outage");
        Assert.True(db.ExpectationMet, "db-outage did not run through: " + string.Join("; ", db.Failures));
        Assert.True(db.Timeline.Samples[^1].Buffered > 0, "db-outage: the timeline shows no buffered writes");
        Assert.Equal(db.Timeline.Samples[^1].Buffered, db.Timeline.Samples[^1].Replayed);
    }

    [Fact]
    public void Chromium_renders_every_timeline()
    {
        var directory = Path.Combine(AppContext.BaseDirectory, "screenshots");
        Directory.CreateDirectory(directory);
        var page = Path.Combine(directory, "trading-host-report.html");
        var screenshot = Path.Combine(directory, "trading-host-report.png");
        File.WriteAllText(page, HtmlReportWriter.Render(run.Results));
        File.Delete(screenshot);

        var dom = Chromium(page, "--dump-dom");
        Chromium(page, $"--screenshot={screenshot}", "--window-size=1200,4000");
        output.WriteLine($"report: {page}\nscreenshot: {screenshot}");

        Assert.Equal(run.Results.Count(r => r.Timeline.Samples.Count > 1), Regex.Matches(dom, "<svg class=\"timeline\"").Count);
        foreach (var result in run.Results.Where(r => r.Timeline.Samples.Count > 1))
            Assert.Contains($"data-mode=\"{result.Timeline.Samples[0].Mode}\"", dom, StringComparison.Ordinal);
        if (run.Get("broker-outage").ExpectationMet) Assert.Contains("data-mode=\"SafeModeDisconnected\"", dom, StringComparison.Ordinal);
        Assert.True(new FileInfo(screenshot).Length > 10_000, "the screenshot is empty");
    }

    private static string Chromium(string page, params string[] arguments)
    {
        var chromium = Environment.GetEnvironmentVariable("DEGRADATION_CHROMIUM") ?? "/usr/bin/chromium";
        Assert.True(File.Exists(chromium), $"Headless Chromium is needed at '{chromium}' (apt-get install chromium; tests/run-all.sh installs it).");
        var profile = Directory.CreateTempSubdirectory("report-chromium-");
        try
        {
            var info = new ProcessStartInfo(chromium)
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            };
            foreach (var argument in (string[])["--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                         "--disable-background-networking", "--no-first-run", "--user-data-dir=" + profile.FullName, .. arguments, new Uri(page).AbsoluteUri])
                info.ArgumentList.Add(argument);
            using var process = Process.Start(info)!;
            var stdout = process.StandardOutput.ReadToEndAsync();
            var stderr = process.StandardError.ReadToEndAsync();
            // A guard against a hung browser only; expiry fails the test.
            Assert.True(process.WaitForExit(TimeSpan.FromMinutes(2)), "Chromium did not finish within 2 minutes");
            Assert.True(process.ExitCode == 0, $"Chromium exited with {process.ExitCode}: {stderr.Result}");
            return stdout.Result;
        }
        finally
        {
            try { profile.Delete(recursive: true); } catch (IOException) { }
        }
    }

    [GeneratedRegex(@"(src|href)\s*=\s*""(https?:)?//", RegexOptions.IgnoreCase)]
    private static partial Regex ExternalReference();
}
