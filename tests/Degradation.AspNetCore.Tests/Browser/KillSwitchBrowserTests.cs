using Degradation.Tests.Infrastructure;
using OpenQA.Selenium;

namespace Degradation.Tests.Browser;

/// <summary>The dashboard as a kill switch: HALT and Release Halt with typed confirmation, outcomes, stale messages.</summary>
public sealed partial class DashboardBrowserTests
{
    [Fact]
    public async Task An_operator_halts_from_the_top_bar_with_typed_confirmation_and_sees_the_kill_switch_outcomes()
    {
        await using var host = await DegradationTestHost.StartAsync();
        var cancel = new ControlledKillSwitchAction("venue-mass-cancel");
        var flatten = new ControlledKillSwitchAction("flatten-positions");
        host.System.AddKillSwitchAction(cancel).AddKillSwitchAction(flatten);
        browser.SignIn(host.BaseAddress, DegradationTestHost.Operator, DegradationTestHost.OperatorRole);
        var driver = browser.Driver;
        driver.Navigate().GoToUrl(host.Dashboard);
        browser.WaitFor(_ => Mode == "normal", "the Normal badge");
        browser.WaitFor(_ => browser.Element("halt-open").Enabled, "the HALT button to be enabled for an operator");

        // Always visible: in the top bar, at the top of the page.
        var halt = browser.Element("halt-open");
        Assert.True(halt.Displayed);
        Assert.Equal("HALT", halt.Text);
        Assert.InRange(halt.Location.Y, 0, 80);
        Assert.False(browser.Element("release-halt-open").Enabled); // nothing to release yet

        // Typed confirmation: nothing happens until the operator types HALT and a reason.
        halt.Click();
        browser.WaitFor(_ => browser.Element("halt-confirm").Displayed, "the Halt confirmation");
        Assert.False(browser.Element("halt-submit").Enabled);
        browser.Element("halt-reason").SendKeys("runaway strategy");
        browser.Element("halt-confirm-text").SendKeys("HAL");
        Assert.False(browser.Element("halt-submit").Enabled);
        Assert.Equal(SystemMode.Normal, host.System.Gate.Mode);
        browser.Element("halt-confirm-text").SendKeys("T");
        browser.WaitFor(_ => browser.Element("halt-submit").Enabled, "the Halt button once HALT is typed");
        browser.Element("halt-submit").Click();

        browser.WaitFor(_ => Mode == "halt", "the HALT badge");
        Assert.Equal(SystemMode.Halt, host.System.Gate.Mode);
        Assert.Equal("alice", host.System.StateMachine.OperatorHalt?.OperatorId);
        Assert.Contains("Halted by alice", browser.Element("command-result").Text);
        Assert.False(browser.Element("halt-confirm").Displayed);

        // The kill-switch actions: running, then each one's outcome.
        await cancel.Started;
        await flatten.Started;
        browser.WaitFor(_ => browser.Element("killswitch-panel").Displayed, "the kill-switch panel");
        browser.WaitFor(_ => driver.FindElements(By.CssSelector("#killswitch-actions li[data-status='running']")).Count == 2, "both actions running");
        cancel.Succeed();
        flatten.Fail("risk desk unreachable");
        await host.System.KillSwitch.WhenIdleAsync();
        browser.WaitFor(_ => driver.FindElements(By.CssSelector("#killswitch-actions li[data-action='venue-mass-cancel'][data-status='succeeded']")).Count == 1, "the mass cancel succeeded");
        browser.WaitFor(_ => driver.FindElements(By.CssSelector("#killswitch-actions li[data-action='flatten-positions'][data-status='failed']")).Count == 1, "the flatten failed");
        Assert.Contains("risk desk unreachable", driver.FindElement(By.CssSelector("#killswitch-actions li[data-action='flatten-positions']")).Text);
        Assert.Contains("1 failed or timed out, 1 succeeded", browser.Element("killswitch-summary").Text);
        Assert.Contains("Halted by alice", browser.Element("killswitch-summary").Text);
        Assert.Contains("runaway strategy", browser.Element("killswitch-summary").Text);

        // While halted, a force cannot help: the control says so instead of answering 409.
        Assert.False(browser.Element("force-submit").Enabled);
        Assert.Contains("never leaves Halt", browser.Element("force-hint").Text);
        Assert.True(browser.Element("release-halt-open").Enabled);

        // Times carry their zone; the layout uses the width at 1400 px (three columns, controls at the right edge).
        Assert.Matches(@"(UTC|GMT)", browser.Element("last-transition").Text);
        var columns = (string)((IJavaScriptExecutor)driver).ExecuteScript("return getComputedStyle(document.querySelector('main.grid')).gridTemplateColumns;")!;
        Assert.True(columns.Split(' ').Length >= 3, "grid columns at 1400 px: " + columns);
        var controls = driver.FindElement(By.CssSelector("section.controls"));
        Assert.True(controls.Location.X + controls.Size.Width > 1250, $"the controls end at x={controls.Location.X + controls.Size.Width}");

        output.WriteLine("Screenshot: " + browser.Screenshot("dashboard-halted"));
    }

    [Fact]
    public async Task Releasing_a_halt_needs_its_own_confirmation_and_the_halt_conditions_acknowledged()
    {
        await using var host = await DegradationTestHost.StartAsync();
        host.System.ReportFailure(ComponentId.Broker, ReasonCode.BrokerMismatch);
        Assert.Equal(SystemMode.Halt, host.System.Gate.Mode);
        browser.SignIn(host.BaseAddress, DegradationTestHost.Operator, DegradationTestHost.OperatorRole);
        var driver = browser.Driver;
        driver.Navigate().GoToUrl(host.Dashboard);
        browser.WaitFor(_ => Mode == "halt", "the HALT badge");
        browser.WaitFor(_ => browser.Element("release-halt-open").Enabled, "Release Halt to be enabled while halted");

        browser.Element("release-halt-open").Click();
        browser.WaitFor(_ => browser.Element("release-confirm").Displayed, "the release confirmation");
        browser.WaitFor(_ => browser.Element("release-ack").Displayed, "the conditions to acknowledge");
        var box = driver.FindElement(By.CssSelector("#release-ack-list input[value='broker.mismatch']"));
        Assert.False(box.Selected);
        browser.Element("release-reason").SendKeys("positions reconciled by hand");
        browser.Element("release-confirm-text").SendKeys("RELEASE");
        Assert.False(browser.Element("release-submit").Enabled); // typed, but the mismatch is not acknowledged
        Assert.Equal(SystemMode.Halt, host.System.Gate.Mode);

        box.Click();
        browser.WaitFor(_ => browser.Element("release-submit").Enabled, "the release button once acknowledged");
        output.WriteLine("Screenshot: " + browser.Screenshot("dashboard-release-acknowledge"));
        browser.Element("release-submit").Click();

        browser.WaitFor(_ => Mode != "halt" && Mode != "", "the mode to leave Halt");
        Assert.NotEqual(SystemMode.Halt, host.System.Gate.Mode);
        Assert.Contains("Halt released", browser.Element("command-result").Text);
        Assert.False(browser.Element("release-halt-open").Enabled);
    }

    [Fact]
    public async Task A_message_about_a_state_is_removed_when_that_state_changes()
    {
        await using var host = await DegradationTestHost.StartAsync();
        browser.SignIn(host.BaseAddress, DegradationTestHost.Operator, DegradationTestHost.OperatorRole);
        var driver = browser.Driver;
        driver.Navigate().GoToUrl(host.Dashboard);
        browser.WaitFor(_ => Mode == "normal" && browser.Element("force-submit").Enabled, "the Normal badge and the controls");

        driver.FindElement(By.CssSelector("#force-mode option[value='safe_mode']")).Click();
        SetValue("force-reason", "exchange maintenance");
        browser.Element("force-submit").Click();
        browser.WaitFor(_ => browser.Element("force-result").Displayed, "Override applied");
        Assert.Contains("Override applied", browser.Element("force-result").Text);
        browser.WaitFor(_ => browser.Element("override-banner").Displayed, "the override banner");

        // A Halt condition breaks the override: the message about it must not linger.
        host.System.ReportFailure(ComponentId.Broker, ReasonCode.BrokerMismatch);
        browser.WaitFor(_ => Mode == "halt", "the HALT badge (live)");
        browser.WaitFor(_ => !browser.Element("force-result").Displayed, "the stale Override applied message to go");
        browser.WaitFor(_ => !browser.Element("override-banner").Displayed, "the override banner to go");
        Assert.False(host.System.StateMachine.IsOverrideActive);
        output.WriteLine("Screenshot: " + browser.Screenshot("dashboard-stale-message-cleared"));
    }
}
