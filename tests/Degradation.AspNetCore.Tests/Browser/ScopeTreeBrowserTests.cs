using Degradation.Tests.Infrastructure;
using OpenQA.Selenium;

namespace Degradation.Tests.Browser;

/// <summary>The dashboard's scope tree: each scope's own and effective mode, and per-scope Halt and Release Halt with typed confirmation.</summary>
public sealed partial class DashboardBrowserTests
{
    private const string Account = "venue-a/acct-1";
    private const string Sibling = "venue-a/acct-2";

    private static async Task AddOpenScopesAsync(DegradationTestHost host)
    {
        host.System.Scopes.Add("venue-a", new ScopeOptions().WithCritical("broker"));
        host.System.Scopes.Add(Account);
        host.System.Scopes.Add(Sibling);
        foreach (var scope in host.System.Scopes.GetScopes().Where(s => !s.IsProcess))
        {
            scope.Heartbeat(ComponentId.Broker);
            await scope.Bus.DrainAsync();
            if (scope.StateMachine.ActiveRecoveryRun is { } run) await scope.Recovery!.WhenRunFinishedAsync(run).WaitAsync(TimeSpan.FromSeconds(60));
            scope.StateMachine.Tick(); // RecoveryStableSeconds is 0: Ready lands at once
            Assert.Equal(SystemMode.Normal, scope.StateMachine.Mode);
        }
    }

    private string ScopeRow(string path, string attribute) =>
        browser.Driver.FindElement(By.CssSelector($"#scope-tree tr[data-scope='{path}']")).GetAttribute(attribute) ?? "";

    private IWebElement ScopeButton(string path, string action) =>
        browser.Driver.FindElement(By.CssSelector($"#scope-tree tr[data-scope='{path}'] button[data-action='{action}']"));

    [Fact]
    public async Task An_operator_halts_one_account_from_the_scope_tree_while_its_sibling_keeps_trading_and_a_release_under_a_halted_venue_stays_shut()
    {
        await using var host = await DegradationTestHost.StartAsync();
        await AddOpenScopesAsync(host);
        browser.SignIn(host.BaseAddress, DegradationTestHost.Operator, DegradationTestHost.OperatorRole);
        var driver = browser.Driver;
        driver.Navigate().GoToUrl(host.Dashboard);

        browser.WaitFor(_ => driver.FindElements(By.CssSelector($"#scope-tree tr[data-scope='{Account}'][data-send='true']")).Count == 1, "the account trading in the tree");
        Assert.Equal(["", "venue-a", Account, Sibling], driver.FindElements(By.CssSelector("#scope-tree tr")).Select(r => r.GetAttribute("data-scope")));
        Assert.Empty(driver.FindElements(By.CssSelector("#scope-tree tr[data-scope=''] button"))); // the process's kill switch is the top bar's
        Assert.Equal("account", ScopeRow(Account, "data-level"));
        browser.WaitFor(_ => ScopeButton(Account, "halt").Enabled, "the account's Halt button for an operator");
        Assert.False(ScopeButton(Account, "release").Enabled); // nothing to release yet

        // Typed confirmation: nothing happens until HALT is typed and a reason given.
        ScopeButton(Account, "halt").Click();
        browser.WaitFor(_ => browser.Element("scope-confirm").Displayed, "the scope Halt confirmation");
        Assert.Contains(Account, browser.Element("scope-confirm-title").Text);
        Assert.False(browser.Element("scope-submit").Enabled);
        browser.Element("scope-reason").SendKeys("runaway account");
        browser.Element("scope-typed").SendKeys("HAL");
        Assert.False(browser.Element("scope-submit").Enabled);
        Assert.True(host.System.Gate.For(host.System.Gate.Resolve(Account)).Allows(ActionType.Send));
        browser.Element("scope-typed").SendKeys("T");
        browser.WaitFor(_ => browser.Element("scope-submit").Enabled, "the Halt button once HALT is typed");
        browser.Element("scope-submit").Click();

        browser.WaitFor(_ => ScopeRow(Account, "data-mode") == "halt" && ScopeRow(Account, "data-send") == "false", "the account halted in the tree");
        var account = host.System.Gate.Resolve(Account);
        Assert.False(host.System.Gate.For(account).Allows(ActionType.Send));
        Assert.Equal("alice", account.StateMachine.OperatorHalt?.OperatorId);
        Assert.Contains("Halted by alice", browser.Element("scope-command-result").Text);
        Assert.Equal("true", ScopeRow(Sibling, "data-send"));
        Assert.Equal("normal", ScopeRow("", "data-effective-mode"));
        Assert.True(host.System.Gate.Allows(ActionType.Send));
        Assert.False(ScopeButton(Account, "halt").Enabled);

        // The venue is halted too (through the API): its accounts show the venue's Halt as their effective mode.
        host.System.Gate.Resolve("venue-a").StateMachine.Halt("bob", "venue outage");
        browser.WaitFor(_ => ScopeRow(Sibling, "data-effective-mode") == "halt" && ScopeRow(Sibling, "data-governed-by") == "venue-a", "the sibling under the halted venue");
        Assert.Equal("normal", ScopeRow(Sibling, "data-mode"));
        Assert.Contains("from venue-a", driver.FindElement(By.CssSelector($"#scope-tree tr[data-scope='{Sibling}'] .scope-effective")).Text);

        // Releasing the account while its venue is halted: a wrong confirmation does nothing, the right one releases the
        // account's own Halt, and the account still may not send (the venue's Halt governs it).
        browser.WaitFor(_ => ScopeButton(Account, "release").Enabled, "the account's Release Halt button");
        ScopeButton(Account, "release").Click();
        browser.WaitFor(_ => browser.Element("scope-confirm").Displayed, "the scope release confirmation");
        browser.Element("scope-reason").SendKeys("account checked");
        browser.Element("scope-typed").SendKeys("HALT");
        Assert.False(browser.Element("scope-submit").Enabled);
        browser.Element("scope-typed").Clear();
        browser.Element("scope-typed").SendKeys("RELEASE");
        browser.WaitFor(_ => browser.Element("scope-submit").Enabled, "the release button once RELEASE is typed");
        browser.Element("scope-submit").Click();
        browser.WaitFor(_ => ScopeRow(Account, "data-mode") != "halt", "the account's own Halt released");
        Assert.Null(account.StateMachine.OperatorHalt);
        Assert.Equal("false", ScopeRow(Account, "data-send"));
        Assert.Equal("halt", ScopeRow(Account, "data-effective-mode"));
        Assert.False(host.System.Gate.For(account).Allows(ActionType.Send));
        output.WriteLine("Screenshot: " + browser.Screenshot("dashboard-scope-tree"));
    }

    [Fact]
    public async Task A_viewer_sees_the_scope_tree_with_every_scope_control_disabled()
    {
        await using var host = await DegradationTestHost.StartAsync();
        await AddOpenScopesAsync(host);
        host.System.Gate.Resolve(Account).StateMachine.Halt("bob", "runaway account");
        browser.SignIn(host.BaseAddress, DegradationTestHost.Viewer);
        var driver = browser.Driver;
        driver.Navigate().GoToUrl(host.Dashboard);

        browser.WaitFor(_ => driver.FindElements(By.CssSelector($"#scope-tree tr[data-scope='{Account}'][data-mode='halt']")).Count == 1, "the halted account in the tree");
        Assert.All(driver.FindElements(By.CssSelector("#scope-tree button")), b => Assert.False(b.Enabled));
        Assert.Equal("true", ScopeRow(Sibling, "data-send"));
    }
}
