using Degradation.Alerts;
using Degradation.Audit;
using Degradation.Events;
using Degradation.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using OpenQA.Selenium;
using Xunit.Abstractions;

namespace Degradation.Tests.Browser;

/// <summary>The dashboard's alerts panel in a real headless Chromium: alerts awaiting acknowledgement and the Acknowledge button.</summary>
public sealed class AlertsBrowserTests(ChromiumBrowser browser, ITestOutputHelper output) : IClassFixture<ChromiumBrowser>
{
    private static async Task<(DegradationTestHost Host, AlertRouter Router, AuditTrail Audit)> StartAsync()
    {
        var audit = new AuditTrail();
        var router = new AlertRouter(null, TimeProvider.System, null, new AlertChannelOptions(), audit);
        var host = await DegradationTestHost.StartAsync(services: s => s.AddSingleton(router));
        router.Publish(Severity.Critical, AlertAudiences.Operators, "Broker session lost", "no heartbeat for 15 s", ComponentId.Broker, ReasonCode.BrokerDisconnect);
        router.Publish(Severity.Warning, AlertAudiences.Operators, "Database slow");
        return (host, router, audit);
    }

    private IWebElement Row(long id) => browser.Driver.FindElement(By.CssSelector($"#alerts-body tr[data-alert='{id}']"));

    [Fact]
    public async Task An_operator_acknowledges_an_alert_from_the_dashboard()
    {
        var (host, router, audit) = await StartAsync();
        await using var _ = host;
        var id = router.GetAlerts().Single(a => a.Alert.Title == "Broker session lost").Alert.Id;
        browser.SignIn(host.BaseAddress, DegradationTestHost.Operator, DegradationTestHost.OperatorRole);
        browser.Driver.Navigate().GoToUrl(host.Dashboard);

        browser.WaitFor(_ => browser.Element("alerts-summary").Text.Contains("2 alert(s) waiting", StringComparison.Ordinal), "two alerts waiting");
        Assert.Equal("pending", Row(id).GetAttribute("data-state"));
        Assert.Contains("Broker session lost", Row(id).Text);
        // Found afresh each time: the panel re-renders on every poll.
        browser.WaitFor(_ => Row(id).FindElement(By.CssSelector("button.ack-alert")).Enabled, "the Acknowledge button enabled for an operator");
        browser.WaitFor(_ =>
        {
            Row(id).FindElement(By.CssSelector("button.ack-alert")).Click();
            return true;
        }, "a click on Acknowledge");

        browser.WaitFor(_ => browser.Element("alerts-result").Displayed, "the acknowledgement message");
        Assert.Contains($"Alert #{id} acknowledged by alice", browser.Element("alerts-result").Text);
        browser.WaitFor(_ => Row(id).GetAttribute("data-state") == "acknowledged", "the row marked acknowledged");
        Assert.Contains("alice", Row(id).Text);
        Assert.Empty(Row(id).FindElements(By.CssSelector("button.ack-alert")));
        Assert.Equal(1, router.UnacknowledgedCount);
        Assert.Contains(audit.GetEntries(), e => e.Record.Action == "alert.acknowledged" && e.Record.OperatorId == "alice");
        output.WriteLine("Screenshot: " + browser.Screenshot("dashboard-alerts"));
    }

    [Fact]
    public async Task A_read_only_user_sees_the_alerts_but_cannot_acknowledge()
    {
        var (host, router, _) = await StartAsync();
        await using var __ = host;
        browser.SignIn(host.BaseAddress, DegradationTestHost.Viewer);
        browser.Driver.Navigate().GoToUrl(host.Dashboard);

        browser.WaitFor(_ => browser.Element("alerts-summary").Text.Contains("2 alert(s) waiting", StringComparison.Ordinal), "two alerts waiting");
        browser.WaitFor(_ => browser.Element("operator").Text.Contains("read-only", StringComparison.Ordinal), "the read-only marker");
        IReadOnlyCollection<IWebElement> Buttons() => browser.Driver.FindElements(By.CssSelector("#alerts-body button.ack-alert"));
        browser.WaitFor(_ => Buttons().Count == 2 && Buttons().All(b => !b.Enabled && (b.GetAttribute("title") ?? "").Contains("Read-only", StringComparison.Ordinal)),
            "every Acknowledge button disabled, saying why");
        Assert.Equal(2, router.UnacknowledgedCount);
    }
}
