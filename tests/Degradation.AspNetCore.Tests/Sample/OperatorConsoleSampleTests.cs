using System.Net;
using Degradation.Tests.Infrastructure;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using OperatorConsole;

namespace Degradation.Tests.Sample;

/// <summary>The OperatorConsole sample, booted as it ships (on a free port): credentials, simulation, faults.</summary>
public sealed class OperatorConsoleSampleTests
{
    private const string AliceKey = "alice-dev-key";
    private const string VictorKey = "victor-dev-key";

    [Fact]
    public async Task The_sample_reaches_normal_trades_and_enforces_its_documented_credentials()
    {
        await using var app = OperatorConsoleApp.Build(["--urls", "http://127.0.0.1:0", "--environment", "Development", "--Simulation:HeartbeatIntervalMs=100", "--Simulation:OrderIntervalMs=50",
            "--Degradation:Recovery:StablePeriod=00:00:00", "--Degradation:SafeMode:MinDwell=00:00:00", "--Logging:LogLevel:Default=Warning"]);
        await app.StartAsync();
        var system = app.Services.GetRequiredService<DegradationSystem>();
        var baseAddress = new Uri(app.Urls.Single());
        using var alice = Client(baseAddress, AliceKey);
        using var victor = Client(baseAddress, VictorKey);
        using var anonymous = Client(baseAddress, null);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60)); // hang guard only (the whole walk-through)

        await Until(() => system.Gate.Mode == SystemMode.Normal, "the simulation to reach Normal", timeout.Token);
        await Until(async () => (await (await alice.GetAsync("/sim/stats")).JsonAsync()).GetProperty("orders_sent").GetInt64() > 0, "orders to be sent", timeout.Token);
        Assert.Equal("normal", (await (await alice.GetAsync("/sim/stats")).JsonAsync()).Str("mode")); // wire names, not C# names

        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync("/degradation/status")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await victor.GetAsync("/degradation/status")).StatusCode);
        const string force = """{"mode":"degraded","ttl_seconds":60,"reason":"sample test","operator_id":"someone-else"}""";
        Assert.Equal(HttpStatusCode.Forbidden, (await victor.PostRawAsync("/degradation/force", force)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.PostRawAsync("/degradation/force", force)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await victor.PostAsync("/sim/faults/broker", null)).StatusCode);

        Assert.Equal(HttpStatusCode.NoContent, (await alice.PostAsync("/sim/faults/broker", null)).StatusCode);
        Assert.Equal(SystemMode.SafeModeDisconnected, system.Gate.Mode);
        Assert.Equal(HttpStatusCode.NoContent, (await alice.DeleteAsync("/sim/faults/broker")).StatusCode);
        await Until(() => system.Gate.Mode == SystemMode.Normal, "recovery back to Normal after the broker heals", timeout.Token);

        var forced = await (await alice.PostRawAsync("/degradation/force", force)).JsonAsync();
        Assert.Equal("alice", forced.GetProperty("transition").Str("operator_id"));
        Assert.Equal(SystemMode.Degraded, system.Gate.Mode);
        await app.StopAsync();
    }

    [Fact]
    public async Task The_login_page_exchanges_a_key_for_a_cookie_the_dashboard_accepts()
    {
        await using var app = OperatorConsoleApp.Build(["--urls", "http://127.0.0.1:0", "--environment", "Development", "--Logging:LogLevel:Default=Warning"]);
        await app.StartAsync();
        var baseAddress = new Uri(app.Urls.Single());
        using var handler = new HttpClientHandler { AllowAutoRedirect = false, CookieContainer = new CookieContainer() };
        using var browser = new HttpClient(handler) { BaseAddress = baseAddress };
        browser.DefaultRequestHeaders.Accept.ParseAdd("text/html");

        using var challenged = await browser.GetAsync("/degradation/");
        Assert.Equal(HttpStatusCode.Redirect, challenged.StatusCode);
        Assert.StartsWith("/login", challenged.Headers.Location!.PathAndQuery);

        using var wrong = await browser.PostAsync("/login", new FormUrlEncodedContent(new Dictionary<string, string> { ["key"] = "guess" }));
        Assert.Equal(HttpStatusCode.Unauthorized, wrong.StatusCode);

        using var login = await browser.PostAsync("/login", new FormUrlEncodedContent(new Dictionary<string, string> { ["key"] = AliceKey, ["returnUrl"] = "https://evil.example/" }));
        Assert.Equal(HttpStatusCode.Redirect, login.StatusCode);
        Assert.Equal("/degradation/", login.Headers.Location!.OriginalString); // no open redirect

        Assert.Equal(HttpStatusCode.OK, (await browser.GetAsync("/degradation/")).StatusCode);
        var me = await (await browser.GetAsync("/degradation/me")).JsonAsync();
        Assert.Equal("alice", me.Str("operator_id"));
        Assert.True(me.GetProperty("can_write").GetBoolean());
        await app.StopAsync();
    }

    [Fact]
    public async Task Signing_out_revokes_the_session_so_a_copy_of_the_old_cookie_no_longer_works()
    {
        await using var app = await StartDevelopmentAsync();
        var baseAddress = new Uri(app.Urls.Single());
        var cookies = new CookieContainer();
        using var handler = new HttpClientHandler { AllowAutoRedirect = false, CookieContainer = cookies };
        using var browser = new HttpClient(handler) { BaseAddress = baseAddress };
        using var login = await browser.PostAsync("/login", new FormUrlEncodedContent(new Dictionary<string, string> { ["key"] = AliceKey }));
        Assert.Equal(HttpStatusCode.Redirect, login.StatusCode);
        var stolen = cookies.GetCookieHeader(baseAddress);
        Assert.Contains("operator-console=", stolen);
        var store = app.Services.GetRequiredService<OperatorConsole.Auth.InMemoryTicketStore>();
        Assert.Equal(1, store.Count);

        // The copied cookie works while the session lives…
        using var copy = new HttpClient { BaseAddress = baseAddress };
        copy.DefaultRequestHeaders.Add("Cookie", stolen);
        Assert.Equal(HttpStatusCode.OK, (await copy.GetAsync("/degradation/status")).StatusCode);

        using var logout = await browser.PostAsync("/logout", null);
        Assert.Equal(HttpStatusCode.Redirect, logout.StatusCode);
        Assert.Equal(0, store.Count);

        // …and not after sign-out: neither reads nor writes.
        Assert.Equal(HttpStatusCode.Unauthorized, (await copy.GetAsync("/degradation/status")).StatusCode);
        using var force = await copy.PostRawAsync("/degradation/force", """{"mode":"normal","ttl_seconds":60,"reason":"replayed cookie"}""");
        Assert.Equal(HttpStatusCode.Unauthorized, force.StatusCode);
        Assert.False(app.Services.GetRequiredService<DegradationSystem>().StateMachine.IsOverrideActive);
        await app.StopAsync();
    }

    [Fact]
    public async Task Sign_in_attempts_are_rate_limited_per_client_address()
    {
        await using var app = await StartDevelopmentAsync("--OperatorConsole:LoginRateLimit:PermitLimit=3", "--OperatorConsole:LoginRateLimit:WindowSeconds=3600");
        using var client = new HttpClient { BaseAddress = new Uri(app.Urls.Single()) };
        for (var i = 0; i < 3; i++)
        {
            using var wrong = await client.PostAsync("/login", Form("guess-" + i));
            Assert.Equal(HttpStatusCode.Unauthorized, wrong.StatusCode);
        }

        using var limited = await client.PostAsync("/login", Form("guess-3"));
        Assert.Equal(HttpStatusCode.TooManyRequests, limited.StatusCode);
        Assert.True(int.Parse(limited.Headers.GetValues("Retry-After").Single(), System.Globalization.CultureInfo.InvariantCulture) > 0);
        Assert.Contains("Too many sign-in attempts", await limited.Content.ReadAsStringAsync());
        // Even the right key waits for the window: the limit is on attempts, not only on failures.
        using var right = await client.PostAsync("/login", Form(AliceKey));
        Assert.Equal(HttpStatusCode.TooManyRequests, right.StatusCode);
        Assert.DoesNotContain("operator-console", right.Headers.TryGetValues("Set-Cookie", out var set) ? string.Join(";", set) : "");
        // Only sign-in is limited; the API keeps answering.
        using var alice = Client(new Uri(app.Urls.Single()), AliceKey);
        Assert.Equal(HttpStatusCode.OK, (await alice.GetAsync("/degradation/status")).StatusCode);
        await app.StopAsync();
    }

    [Fact]
    public async Task The_login_page_shows_the_development_keys_only_in_development()
    {
        await using (var development = await StartDevelopmentAsync())
        {
            using var plain = new HttpClient();
            var page = await plain.GetStringAsync(new Uri(new Uri(development.Urls.Single()), "/login"));
            Assert.Contains("alice-dev-key", page);
            await development.StopAsync();
        }

        await using var production = await StartAsync("Production",
            "--OperatorConsole:Operators:0:Name=olga", "--OperatorConsole:Operators:0:ApiKey=olga-secret-key-1234",
            "--OperatorConsole:Operators:0:Roles:0=" + Degradation.AspNetCore.DegradationEndpointOptions.DefaultOperatorRole);
        var baseAddress = new Uri(production.Urls.Single());
        using var plainClient = new HttpClient();
        var productionPage = await plainClient.GetStringAsync(new Uri(baseAddress, "/login"));
        Assert.DoesNotContain("dev-key", productionPage);
        Assert.DoesNotContain("olga-secret-key", productionPage);
        // The published development keys do not work outside Development; the configured one does.
        using var alice = Client(baseAddress, AliceKey);
        Assert.Equal(HttpStatusCode.Unauthorized, (await alice.GetAsync("/degradation/status")).StatusCode);
        using var olga = Client(baseAddress, "olga-secret-key-1234");
        Assert.Equal(HttpStatusCode.OK, (await olga.GetAsync("/degradation/status")).StatusCode);
        await production.StopAsync();
    }

    [Fact]
    public void Outside_development_the_sample_refuses_to_start_without_configured_accounts()
    {
        var error = Assert.Throws<InvalidOperationException>(() => OperatorConsoleApp.Build(["--urls", "http://127.0.0.1:0", "--environment", "Production"]));
        Assert.Contains("OperatorConsole:Operators", error.Message);
        Assert.Contains("Development", error.Message);
    }

    [Fact]
    public async Task The_sample_listens_on_loopback_unless_told_otherwise()
    {
        await using (var defaults = OperatorConsoleApp.Build(["--environment", "Development"]))
            Assert.Equal(OperatorConsoleApp.DefaultUrl, defaults.Configuration["urls"]);
        await using (var told = OperatorConsoleApp.Build(["--environment", "Development", "--urls", "http://0.0.0.0:6080"]))
            Assert.Equal("http://0.0.0.0:6080", told.Configuration["urls"]);
        await using var kestrel = OperatorConsoleApp.Build(["--environment", "Development", "--Kestrel:Endpoints:Http:Url=http://127.0.0.2:6081"]);
        Assert.Null(kestrel.Configuration["urls"]);
    }

    private static Task<WebApplication> StartDevelopmentAsync(params string[] extra) => StartAsync("Development", extra);

    private static async Task<WebApplication> StartAsync(string environment, params string[] extra)
    {
        var app = OperatorConsoleApp.Build(["--urls", "http://127.0.0.1:0", "--environment", environment, "--Logging:LogLevel:Default=Warning", .. extra]);
        await app.StartAsync();
        return app;
    }

    private static FormUrlEncodedContent Form(string key) => new(new Dictionary<string, string> { ["key"] = key });

    private static HttpClient Client(Uri baseAddress, string? key)
    {
        var client = new HttpClient { BaseAddress = baseAddress, Timeout = TimeSpan.FromSeconds(30) };
        if (key is not null) client.DefaultRequestHeaders.Add("X-Api-Key", key);
        return client;
    }

    private static Task Until(Func<bool> condition, string what, CancellationToken token) => Until(() => Task.FromResult(condition()), what, token);

    private static async Task Until(Func<Task<bool>> condition, string what, CancellationToken token)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(50));
        while (!await condition())
        {
            if (token.IsCancellationRequested) Assert.Fail("Timed out waiting for " + what);
            try { await timer.WaitForNextTickAsync(token); } catch (OperationCanceledException) { }
        }
    }
}
