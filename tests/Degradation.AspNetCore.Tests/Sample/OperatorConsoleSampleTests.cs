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
        await using var app = OperatorConsoleApp.Build(["--urls", "http://127.0.0.1:0", "--Simulation:HeartbeatIntervalMs=100", "--Simulation:OrderIntervalMs=50",
            "--Degradation:RecoveryStableSeconds=0", "--Degradation:MinSafeModeSeconds=0", "--Logging:LogLevel:Default=Warning"]);
        await app.StartAsync();
        var system = app.Services.GetRequiredService<DegradationSystem>();
        var baseAddress = new Uri(app.Urls.Single());
        using var alice = Client(baseAddress, AliceKey);
        using var victor = Client(baseAddress, VictorKey);
        using var anonymous = Client(baseAddress, null);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60)); // hang guard only (the whole walk-through)

        await Until(() => system.Gate.Mode == SystemMode.Normal, "the simulation to reach Normal", timeout.Token);
        await Until(async () => (await (await alice.GetAsync("/sim/stats")).JsonAsync()).GetProperty("orders_sent").GetInt64() > 0, "orders to be sent", timeout.Token);

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
        await using var app = OperatorConsoleApp.Build(["--urls", "http://127.0.0.1:0", "--Logging:LogLevel:Default=Warning"]);
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
