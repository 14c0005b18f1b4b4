using Microsoft.AspNetCore.Builder;
using Degradation.Tests.Infrastructure;
using OpenQA.Selenium;
using Xunit.Abstractions;

namespace Degradation.Tests.Browser;

/// <summary>The dashboard in a real headless Chromium against a real Kestrel server and degradation system.</summary>
public sealed partial class DashboardBrowserTests(ChromiumBrowser browser, ITestOutputHelper output) : IClassFixture<ChromiumBrowser>
{
    private string Mode => browser.Element("mode-badge").GetAttribute("data-mode") ?? "";

    [Fact]
    public async Task Operator_sees_live_transitions_forces_an_override_with_countdown_and_sees_api_errors()
    {
        await using var host = await DegradationTestHost.StartAsync();
        browser.SignIn(host.BaseAddress, DegradationTestHost.Operator, DegradationTestHost.OperatorRole);
        var driver = browser.Driver;
        driver.Navigate().GoToUrl(host.Dashboard);

        // Normal, live, signed in as an operator.
        browser.WaitFor(_ => Mode == "normal" && browser.Element("mode-label").Text == "Normal", "the Normal badge");
        browser.WaitFor(_ => browser.Element("live-indicator").GetAttribute("data-state") == "live", "the live event feed");
        browser.WaitFor(_ => browser.Element("operator").Text.Contains("alice", StringComparison.Ordinal), "the operator name");
        Assert.Equal("true", driver.FindElement(By.CssSelector("#permissions-grid [data-action='send']")).GetAttribute("data-allowed"));
        Assert.Equal("rgba(34, 197, 94, 1)", browser.Element("mode-badge").GetCssValue("background-color")); // Tailwind green-500
        ((IJavaScriptExecutor)driver).ExecuteScript("window.__notReloaded = true;");

        // A broker disconnect published in-process appears without a reload, through the live feed.
        host.System.ReportFailure(ComponentId.Broker, ReasonCode.BrokerDisconnect);
        var sequence = host.System.StateMachine.TransitionCount;
        browser.WaitFor(_ => driver.FindElements(By.CssSelector($"#timeline li[data-sequence='{sequence}'][data-to='safe_mode_disconnected']")).Count == 1,
            "the disconnect in the timeline (live via SSE)");
        browser.WaitFor(_ => Mode == "safe_mode_disconnected" && browser.Element("mode-label").Text == "Safe Mode (Disconnected)", "the SafeModeDisconnected badge");
        Assert.Equal("rgba(239, 68, 68, 1)", browser.Element("mode-badge").GetCssValue("background-color")); // red-500
        browser.WaitFor(_ => driver.FindElement(By.CssSelector("#permissions-grid [data-action='send']")).GetAttribute("data-allowed") == "false", "send blocked");
        browser.WaitFor(_ => driver.FindElement(By.CssSelector("#components-body tr[data-component='broker']")).GetAttribute("data-level") == "tripped", "the broker tripped");
        Assert.Equal(true, ((IJavaScriptExecutor)driver).ExecuteScript("return window.__notReloaded === true;"));

        // The force control starts at the strictest mode.
        Assert.Equal("halt", browser.Element("force-mode").GetAttribute("value"));

        // Force an override looser than the broker's condition: the page asks to acknowledge it first.
        driver.FindElement(By.CssSelector("#force-mode option[value='degraded']")).Click();
        SetValue("force-ttl", "120");
        SetValue("force-reason", "broker failover drill");
        browser.WaitFor(_ => browser.Element("force-ack").Displayed, "the conditions to acknowledge");
        Assert.False(browser.Element("force-submit").Enabled);
        Assert.Contains("Tick every condition", browser.Element("force-hint").Text);
        driver.FindElement(By.CssSelector("#force-ack-list input[value='broker.disconnect']")).Click();
        browser.WaitFor(_ => browser.Element("force-submit").Enabled, "the force button once acknowledged");
        browser.Element("force-submit").Click();
        browser.WaitFor(_ => browser.Element("override-banner").Displayed, "the override banner");
        Assert.Contains("forced by alice", browser.Element("override-text").Text);
        Assert.Contains("broker failover drill", browser.Element("override-text").Text);
        browser.WaitFor(_ => Mode == "degraded", "the forced Degraded badge");
        Assert.True(browser.Element("override-tag").Displayed);
        var first = Remaining();
        Assert.InRange(first, 100, 120);
        Assert.Matches(@"^\d+:\d{2}$", browser.Element("override-countdown").Text);
        browser.WaitFor(_ => Remaining() < first, "the countdown to tick down");
        Assert.Equal("alice", host.System.StateMachine.Override?.OperatorId);

        // An invalid TTL: the API's 400 names the field, and the page shows it; nothing changes.
        SetValue("force-ttl", "99999");
        browser.Element("force-submit").Click();
        browser.WaitFor(_ => browser.Element("force-error").Displayed, "the force error");
        Assert.Contains("400", browser.Element("force-error").Text);
        Assert.Contains("ttl_seconds", browser.Element("force-error").Text);
        Assert.Contains("between 1 s and 3600 s", browser.Element("force-ttl-error").Text);
        Assert.Equal("true", browser.Element("force-ttl").GetAttribute("aria-invalid"));
        Assert.Equal(TimeSpan.FromSeconds(120), host.System.StateMachine.Override?.Ttl);

        var screenshot = browser.Screenshot("dashboard-override");
        output.WriteLine("Screenshot: " + screenshot);
        Assert.True(new FileInfo(screenshot).Length > 10_000, "the screenshot looks empty");

        // Release: the banner goes, and the mode is re-derived (the broker is still down).
        SetValue("action-reason", "drill over");
        browser.Element("release-override").Click();
        browser.WaitFor(_ => !browser.Element("override-banner").Displayed, "the banner to disappear");
        browser.WaitFor(_ => Mode == "safe_mode_disconnected", "the re-derived mode");
        Assert.Contains("Override released", browser.Element("actions-result").Text);
        Assert.False(host.System.StateMachine.IsOverrideActive);

        // Releasing again is a conflict the page reports.
        browser.Element("release-override").Click();
        browser.WaitFor(_ => browser.Element("actions-error").Displayed, "the conflict error");
        Assert.Contains("409", browser.Element("actions-error").Text);
    }

    [Fact]
    public async Task A_read_only_user_sees_the_dashboard_with_every_control_disabled_and_told_why()
    {
        await using var host = await DegradationTestHost.StartAsync();
        browser.SignIn(host.BaseAddress, DegradationTestHost.Viewer);
        browser.Driver.Navigate().GoToUrl(host.Dashboard);

        browser.WaitFor(_ => Mode == "normal", "the Normal badge");
        browser.WaitFor(_ => browser.Element("operator").Text.Contains("read-only", StringComparison.Ordinal), "the read-only marker");
        Assert.True(browser.Element("write-hint").Displayed);

        // Every control that would change the state is disabled, and the page says why.
        browser.WaitFor(_ => browser.Element("write-hint").Displayed, "the read-only notice");
        Assert.Contains("needs an authenticated user in the operator role 'degradation-operator'", browser.Element("write-hint").Text);
        foreach (var id in new[] { "halt-open", "release-halt-open", "force-mode", "force-ttl", "force-reason", "force-submit", "release-override", "start-recovery", "complete-recovery" })
        {
            Assert.False(browser.Element(id).Enabled, id + " should be disabled for a read-only user");
            Assert.Contains("Read-only", browser.Element(id).GetAttribute("title"));
        }

        Assert.False(host.System.StateMachine.IsOverrideActive);
        Assert.Equal(SystemMode.Normal, host.System.Gate.Mode);
        Assert.Equal("normal", Mode);
        output.WriteLine("Screenshot: " + browser.Screenshot("dashboard-read-only"));
    }

    [Fact]
    public async Task Without_read_rights_the_page_is_refused()
    {
        await using var host = await DegradationTestHost.StartAsync(bringUpToNormal: false);
        browser.SignIn(host.BaseAddress, user: null);
        browser.Driver.Navigate().GoToUrl(host.Dashboard);
        // No cookie, reads closed: the server answers 401 and sends no dashboard at all.
        Assert.Empty(browser.Driver.FindElements(By.Id("mode-badge")));
    }

    [Fact]
    public async Task The_sign_out_button_posts_to_the_hosts_logout_path_and_the_page_forgets_the_operator()
    {
        var signedOut = 0;
        await using var host = await DegradationTestHost.StartAsync(e => e.LogoutPath = "/test-logout", map: app =>
            app.MapPost("/test-logout", (Microsoft.AspNetCore.Http.HttpContext context) =>
            {
                Interlocked.Increment(ref signedOut);
                context.Response.Cookies.Delete(TestAuthHandler.UserCookie);
                context.Response.Cookies.Delete(TestAuthHandler.RolesCookie);
                return Microsoft.AspNetCore.Http.Results.LocalRedirect(DegradationTestHost.Prefix + "/");
            }).AllowAnonymous());
        browser.SignIn(host.BaseAddress, DegradationTestHost.Operator, DegradationTestHost.OperatorRole);
        browser.Driver.Navigate().GoToUrl(host.Dashboard);
        browser.WaitFor(_ => browser.Element("logout").Displayed, "the Sign out button");

        browser.Element("logout").Click();

        // Signed out, reads closed: the server no longer sends the dashboard.
        browser.WaitFor(d => d.FindElements(By.Id("mode-badge")).Count == 0, "the dashboard to be gone after signing out");
        Assert.Equal(1, Volatile.Read(ref signedOut));
    }

    private double Remaining() =>
        double.Parse(browser.Element("override-countdown").GetAttribute("data-remaining") ?? "0", System.Globalization.CultureInfo.InvariantCulture);

    private void SetValue(string id, string value)
    {
        var element = browser.Element(id);
        element.Clear();
        element.SendKeys(value);
    }
}
