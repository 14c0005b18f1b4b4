using OpenQA.Selenium;
using OpenQA.Selenium.Chrome;
using OpenQA.Selenium.Support.UI;

namespace Degradation.Tests.Browser;

/// <summary>
/// Headless Debian Chromium driven by the system ChromeDriver. Both paths are given explicitly, so Selenium
/// Manager never runs and nothing is downloaded. A missing browser is a test failure with a clear message,
/// never a skip. Paths can be overridden with DEGRADATION_CHROMIUM / DEGRADATION_CHROMEDRIVER.
/// </summary>
public sealed class ChromiumBrowser : IDisposable
{
    private readonly string _profile;

    public ChromiumBrowser()
    {
        var chromium = Environment.GetEnvironmentVariable("DEGRADATION_CHROMIUM") ?? "/usr/bin/chromium";
        var chromedriver = Environment.GetEnvironmentVariable("DEGRADATION_CHROMEDRIVER") ?? "/usr/bin/chromedriver";
        if (!File.Exists(chromium) || !File.Exists(chromedriver))
        {
            throw new InvalidOperationException(
                $"The browser tests need headless Chromium and ChromeDriver: '{chromium}' {(File.Exists(chromium) ? "found" : "MISSING")}, " +
                $"'{chromedriver}' {(File.Exists(chromedriver) ? "found" : "MISSING")}. Install them with " +
                "`apt-get install chromium chromium-driver` (.ci/run does this).");
        }
        // Belt and braces: even if something asked Selenium Manager, it must not go online.
        Environment.SetEnvironmentVariable("SE_OFFLINE", "true");

        _profile = Path.Combine(Path.GetTempPath(), "degradation-chromium-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(_profile);
        var service = ChromeDriverService.CreateDefaultService(Path.GetDirectoryName(chromedriver)!, Path.GetFileName(chromedriver));
        service.HideCommandPromptWindow = true;
        service.SuppressInitialDiagnosticInformation = true;
        var options = new ChromeOptions { BinaryLocation = chromium };
        options.AddArguments(
            "--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
            "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run",
            "--disable-default-apps", "--disable-extensions", "--window-size=1400,1500",
            "--user-data-dir=" + _profile);
        try
        {
            Driver = new ChromeDriver(service, options, TimeSpan.FromSeconds(60));
        }
        catch
        {
            service.Dispose();
            TryDeleteProfile();
            throw;
        }
        Driver.Manage().Timeouts().PageLoad = TimeSpan.FromSeconds(30);
    }

    public ChromeDriver Driver { get; }

    /// <summary>Polls <paramref name="condition"/> until it holds (no sleeps); fails with <paramref name="what"/> and the page state.</summary>
    public T WaitFor<T>(Func<IWebDriver, T> condition, string what, double seconds = 15)
    {
        var wait = new WebDriverWait(Driver, TimeSpan.FromSeconds(seconds)) { PollingInterval = TimeSpan.FromMilliseconds(100) };
        wait.IgnoreExceptionTypes(typeof(NoSuchElementException), typeof(StaleElementReferenceException));
        try
        {
            return wait.Until(condition);
        }
        catch (WebDriverTimeoutException error)
        {
            var body = Driver.FindElement(By.TagName("body")).Text;
            throw new Xunit.Sdk.XunitException($"Timed out waiting for {what}. Page text:\n{body}\n{error.Message}");
        }
    }

    public IWebElement Element(string id) => Driver.FindElement(By.Id(id));

    /// <summary>Signs the browser in with the test scheme's cookies for <paramref name="origin"/> (or signs it out when user is null).</summary>
    public void SignIn(Uri origin, string? user, params string[] roles)
    {
        // Set through the DevTools protocol: WebDriver's AddCookie needs an open document of that origin first.
        Driver.ExecuteCdpCommand("Network.clearBrowserCookies", new Dictionary<string, object?>());
        if (user is null) return;
        SetCookie(origin, Infrastructure.TestAuthHandler.UserCookie, user);
        if (roles.Length > 0) SetCookie(origin, Infrastructure.TestAuthHandler.RolesCookie, string.Join(",", roles));
    }

    private void SetCookie(Uri origin, string name, string value) =>
        Driver.ExecuteCdpCommand("Network.setCookie", new Dictionary<string, object?>
        {
            ["name"] = name, ["value"] = value, ["url"] = origin.GetLeftPart(UriPartial.Authority) + "/", ["path"] = "/",
        });

    public string Screenshot(string name)
    {
        var directory = Path.Combine(AppContext.BaseDirectory, "screenshots");
        Directory.CreateDirectory(directory);
        var path = Path.Combine(directory, name + ".png");
        Driver.GetScreenshot().SaveAsFile(path);
        return path;
    }

    public void Dispose()
    {
        try { Driver.Quit(); } finally { Driver.Dispose(); TryDeleteProfile(); }
    }

    private void TryDeleteProfile()
    {
        try { Directory.Delete(_profile, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }
}
