using Degradation.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using OpenQA.Selenium;
using Xunit.Abstractions;

namespace Degradation.Tests.Browser;

/// <summary>The dashboard's health report panel in a real headless Chromium against a real Kestrel server.</summary>
public sealed class HealthReportBrowserTests(ChromiumBrowser browser, ITestOutputHelper output) : IClassFixture<ChromiumBrowser>
{
    private string Overall => browser.Element("health-overall").GetAttribute("data-status") ?? "";

    [Fact]
    public async Task Operator_sees_overall_status_components_with_503_and_fallback_impact_breakers_and_chains()
    {
        await using var host = await DegradationTestHost.StartAsync(systemOptions: HealthReportParts.Options(), services: HealthReportParts.Register);
        host.System.Heartbeat(HealthReportParts.Orderbook);
        await host.System.Bus.DrainAsync();
        browser.SignIn(host.BaseAddress, DegradationTestHost.Viewer);
        var driver = browser.Driver;
        driver.Navigate().GoToUrl(host.Dashboard);

        browser.WaitFor(_ => Overall == "fully_operational", "the fully operational health badge");
        Assert.Equal("true", browser.Element("health-can-trade").GetAttribute("data-can-trade"));
        Assert.Equal("rgba(34, 197, 94, 1)", browser.Element("health-overall").GetCssValue("background-color")); // its own stylesheet loaded

        await host.Services.GetRequiredService<HealthReportParts>().BreakAsync(host.System);
        Refresh(driver);

        browser.WaitFor(_ => Overall == "degraded", "the degraded health badge");
        // The panel re-renders on every poll: read each row inside a wait, which finds it again if a poll replaced it.
        var (is503, fallbackActive, orderbookText, impact) = browser.WaitFor(d =>
        {
            var orderbook = d.FindElement(By.CssSelector("#health-components tr[data-component='orderbook']"));
            return (orderbook.GetAttribute("data-is-503"), orderbook.GetAttribute("data-fallback-active"), orderbook.Text,
                orderbook.FindElement(By.CssSelector(".health-impact")).Text);
        }, "the orderbook row");
        Assert.Equal("true", is503);
        Assert.Equal("true", fallbackActive);
        Assert.Contains("rest_api_polling (active)", orderbookText);
        Assert.Contains("Fetches orderbook snapshots over the REST API", orderbookText);
        Assert.Contains("Price updates every 30 s instead of real time", impact);
        Assert.Equal("isolated", browser.WaitFor(d => d.FindElement(By.CssSelector("#health-breakers tr[data-component='db']")).GetAttribute("data-state"), "the db breaker row"));
        var (primary, tier) = browser.WaitFor(d =>
        {
            var chain = d.FindElement(By.CssSelector("#health-chains tr[data-chain='quotes']"));
            return (chain.GetAttribute("data-primary"), chain.GetAttribute("data-active-tier"));
        }, "the quotes chain row");
        Assert.Equal("broken", primary);
        Assert.Equal("cache", tier);
        browser.WaitFor(d => d.FindElements(By.CssSelector("#health-fallbacks li")).Any(li => li.Text == "orderbook -> rest_api_polling"), "the orderbook fallback listed");

        // A critical failure: paused, and the critical issue is listed.
        host.System.ReportFailure(ComponentId.Broker, ReasonCode.BrokerDisconnect);
        await host.System.Bus.DrainAsync();
        Refresh(driver);
        browser.WaitFor(_ => Overall == "paused", "the paused health badge");
        Assert.Equal("false", browser.Element("health-can-trade").GetAttribute("data-can-trade"));
        browser.WaitFor(d => d.FindElements(By.CssSelector("#health-critical-issues li")).Any(li => li.Text.StartsWith("broker: broker.disconnect", StringComparison.Ordinal)), "the broker's critical issue listed");
        output.WriteLine("Screenshot: " + browser.Screenshot("dashboard-health-report"));
    }

    [Fact]
    public async Task When_the_report_cannot_be_read_the_panel_says_unknown_instead_of_showing_stale_health()
    {
        await using var host = await DegradationTestHost.StartAsync();
        browser.SignIn(host.BaseAddress, DegradationTestHost.Viewer);
        var driver = browser.Driver;
        driver.Navigate().GoToUrl(host.Dashboard);
        browser.WaitFor(_ => Overall == "fully_operational", "the fully operational health badge");

        browser.SignIn(host.BaseAddress, user: null); // the session ends: reads answer 401
        Refresh(driver);

        browser.WaitFor(_ => Overall == "unknown", "the unknown health badge");
        Assert.True(browser.Element("health-error").Displayed);
        Assert.Contains("401", browser.Element("health-error").Text);
    }

    private static void Refresh(IWebDriver driver) =>
        ((IJavaScriptExecutor)driver).ExecuteScript("window.degradationHealthReport.refresh();");
}
