using System.Globalization;
using System.Threading.RateLimiting;
using Degradation;
using Degradation.AspNetCore;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Options;
using OperatorConsole.Auth;
using OperatorConsole.Simulation;

namespace OperatorConsole;

/// <summary>
/// A small trading simulation with the operator API and dashboard at <c>/degradation/</c>. Binds to
/// http://127.0.0.1:5080 unless <c>--urls</c> (or <c>ASPNETCORE_URLS</c>, or a <c>Kestrel:Endpoints</c> section) says
/// otherwise. Development sign-in (Development environment only): header <c>X-Api-Key: alice-dev-key</c> (operator)
/// or <c>victor-dev-key</c> (read-only), or the <c>/login</c> page, which sets a session cookie for the browser.
/// Outside Development, accounts must be configured under <c>OperatorConsole:Operators</c>.
/// </summary>
public static class OperatorConsoleApp
{
    public const string DashboardPath = "/degradation/";
    public const string DefaultUrl = "http://127.0.0.1:5080";
    private const string OperatorScheme = "Operator";

    public static WebApplication Build(string[] args)
    {
        var builder = WebApplication.CreateBuilder(args);
        // Loopback unless the host was told where to listen: an operator console is not for the whole network by default.
        if (string.IsNullOrEmpty(builder.Configuration["urls"]) && !builder.Configuration.GetSection("Kestrel:Endpoints").GetChildren().Any())
            builder.WebHost.UseUrls(DefaultUrl);
        var development = builder.Environment.IsDevelopment();

        // Demo defaults first, then anything under "Degradation" in configuration; validated at start.
        builder.Services.AddGracefulDegradation(o =>
        {
            o.Recovery.StablePeriod = TimeSpan.FromSeconds(5);
            o.SafeMode.MinDwell = TimeSpan.FromSeconds(10);
            builder.Configuration.GetSection(DegradationOptions.SectionName).Bind(o);
        });
        builder.Services.AddHealthChecks().AddDegradationCheck();
        builder.Services.Configure<SimulationOptions>(builder.Configuration.GetSection("Simulation"));
        builder.Services.AddSingleton<FaultInjector>();
        builder.Services.AddSingleton<TradingStats>();
        builder.Services.AddHostedService<TradingSimulation>();

        builder.Services.AddSingleton(new OperatorDirectory(Accounts(builder.Configuration, development)));
        builder.Services.AddSingleton<InMemoryTicketStore>();
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
        // The cookie holds only a session key; the ticket lives on the server, so signing out revokes it.
        builder.Services.AddOptions<CookieAuthenticationOptions>(CookieAuthenticationDefaults.AuthenticationScheme)
            .Configure<InMemoryTicketStore>((o, store) => o.SessionStore = store);
        builder.Services.AddAuthorization();
        builder.Services.AddDegradationEndpoints();
        AddLoginRateLimit(builder);

        var app = builder.Build();
        app.UseRateLimiter();
        app.MapGet("/", () => Results.Redirect(DashboardPath)).AllowAnonymous();
        app.MapLogin(DashboardPath, showDevelopmentKeys: development);
        app.MapDegradationEndpoints("/degradation", o =>
        {
            o.RequireAuthorizationForReads = true;
            o.LogoutPath = LoginEndpoints.LogoutPath;
        });
        app.MapSimulation();
        app.MapHealthChecks("/health").AllowAnonymous();
        return app;
    }

    /// <summary>The configured accounts; the well-known development keys only in Development, never elsewhere.</summary>
    private static IReadOnlyList<OperatorAccount> Accounts(IConfiguration configuration, bool development)
    {
        var accounts = configuration.GetSection("OperatorConsole:Operators").Get<List<OperatorAccount>>();
        if (accounts is { Count: > 0 }) return accounts;
        if (development) return OperatorDirectory.Defaults;
        throw new InvalidOperationException(
            "No operator accounts are configured (section OperatorConsole:Operators). The built-in development keys " +
            "(alice-dev-key, victor-dev-key) are published in the README, so they work only in the Development environment: " +
            "run with --environment Development, or configure accounts with their own keys.");
    }

    private static void AddLoginRateLimit(WebApplicationBuilder builder)
    {
        builder.Services.Configure<LoginRateLimitOptions>(builder.Configuration.GetSection(LoginRateLimitOptions.SectionName));
        builder.Services.AddRateLimiter(_ => { });
        builder.Services.AddOptions<RateLimiterOptions>().Configure<IOptions<LoginRateLimitOptions>>((o, settings) =>
        {
            var limits = settings.Value;
            if (limits.PermitLimit <= 0 || limits.WindowSeconds <= 0)
                throw new OptionsValidationException(LoginRateLimitOptions.SectionName, typeof(LoginRateLimitOptions),
                    [$"PermitLimit and WindowSeconds must be > 0 (were {limits.PermitLimit} and {limits.WindowSeconds})."]);
            o.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            // Per client address: a guesser is slowed down without locking every other operator out.
            o.AddPolicy(LoginEndpoints.RateLimitPolicy, context => RateLimitPartition.GetFixedWindowLimiter(
                context.Connection.RemoteIpAddress?.ToString() ?? "unknown",
                _ => new FixedWindowRateLimiterOptions
                {
                    PermitLimit = limits.PermitLimit,
                    Window = TimeSpan.FromSeconds(limits.WindowSeconds),
                    QueueLimit = 0,
                }));
            o.OnRejected = async (context, token) =>
            {
                var response = context.HttpContext.Response;
                var wait = context.Lease.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter) ? retryAfter : TimeSpan.FromSeconds(limits.WindowSeconds);
                var seconds = ((int)Math.Ceiling(wait.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
                response.Headers.RetryAfter = seconds;
                response.Headers.XContentTypeOptions = "nosniff";
                response.ContentType = "text/plain; charset=utf-8";
                await response.WriteAsync($"Too many sign-in attempts from this address; try again in {seconds} s.", token);
            };
        });
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
