using Degradation;
using Degradation.AspNetCore;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using OperatorConsole.Auth;
using OperatorConsole.Simulation;

namespace OperatorConsole;

/// <summary>
/// A small trading simulation with the operator API and dashboard at <c>/degradation/</c>. Binds to
/// http://127.0.0.1:5080 unless <c>--urls</c> says otherwise. Development sign-in: header <c>X-Api-Key: alice-dev-key</c>
/// (operator) or <c>victor-dev-key</c> (read-only), or the <c>/login</c> page, which sets a cookie for the browser.
/// </summary>
public static class OperatorConsoleApp
{
    public const string DashboardPath = "/degradation/";
    private const string OperatorScheme = "Operator";

    public static WebApplication Build(string[] args)
    {
        var builder = WebApplication.CreateBuilder(args);
        if (string.IsNullOrEmpty(builder.Configuration["urls"])) builder.WebHost.UseUrls("http://127.0.0.1:5080");

        // Demo defaults first, then anything under "Degradation" in configuration; validated at start.
        builder.Services.AddGracefulDegradation(o =>
        {
            o.RecoveryStableSeconds = 5;
            o.MinSafeModeSeconds = 10;
            builder.Configuration.GetSection(DegradationOptions.SectionName).Bind(o);
        });
        builder.Services.AddHealthChecks().AddDegradationCheck();
        builder.Services.Configure<SimulationOptions>(builder.Configuration.GetSection("Simulation"));
        builder.Services.AddSingleton<FaultInjector>();
        builder.Services.AddSingleton<TradingStats>();
        builder.Services.AddHostedService<TradingSimulation>();

        var accounts = builder.Configuration.GetSection("OperatorConsole:Operators").Get<List<OperatorAccount>>();
        builder.Services.AddSingleton(new OperatorDirectory(accounts is { Count: > 0 } ? accounts : OperatorDirectory.Defaults));
        builder.Services.AddAuthentication(OperatorScheme)
            // API clients send X-Api-Key; browsers carry the cookie from /login.
            .AddPolicyScheme(OperatorScheme, "API key or cookie", o => o.ForwardDefaultSelector = context =>
                context.Request.Headers.ContainsKey(ApiKeyAuthenticationHandler.HeaderName)
                    ? ApiKeyAuthenticationHandler.SchemeName
                    : CookieAuthenticationDefaults.AuthenticationScheme)
            .AddScheme<AuthenticationSchemeOptions, ApiKeyAuthenticationHandler>(ApiKeyAuthenticationHandler.SchemeName, null)
            .AddCookie(o =>
            {
                o.LoginPath = "/login";
                o.Cookie.Name = "operator-console";
                o.Cookie.HttpOnly = true;
                o.Cookie.SameSite = SameSiteMode.Strict;
                o.ExpireTimeSpan = TimeSpan.FromHours(8);
                // Only a page navigation is sent to the login page; API calls get a plain 401/403.
                o.Events.OnRedirectToLogin = context => Challenge(context, StatusCodes.Status401Unauthorized);
                o.Events.OnRedirectToAccessDenied = context => Challenge(context, StatusCodes.Status403Forbidden);
            });
        builder.Services.AddAuthorization();

        var app = builder.Build();
        app.MapGet("/", () => Results.Redirect(DashboardPath)).AllowAnonymous();
        app.MapLogin(DashboardPath);
        app.MapDegradationEndpoints("/degradation", o => o.RequireAuthorizationForReads = true);
        app.MapSimulation();
        app.MapHealthChecks("/health").AllowAnonymous();
        return app;
    }

    private static Task Challenge(RedirectContext<CookieAuthenticationOptions> context, int status)
    {
        var wantsPage = context.Request.Method == HttpMethods.Get
            && context.Request.Headers.Accept.ToString().Contains("text/html", StringComparison.OrdinalIgnoreCase);
        if (wantsPage && status == StatusCodes.Status401Unauthorized) context.Response.Redirect(context.RedirectUri);
        else context.Response.StatusCode = status;
        return Task.CompletedTask;
    }
}
