using System.Net;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;

namespace OperatorConsole.Auth;

/// <summary>
/// A development login page: exchanges an API key for a cookie (a key into <see cref="InMemoryTicketStore"/>), so the
/// browser's EventSource and fetches are authenticated. Sign-in attempts are rate limited per client address
/// (policy <see cref="RateLimitPolicy"/>); signing out revokes the session on the server.
/// </summary>
public static class LoginEndpoints
{
    public const string RateLimitPolicy = "login";
    public const string LogoutPath = "/logout";

    public static void MapLogin(this WebApplication app, string dashboardPath, bool showDevelopmentKeys)
    {
        app.MapGet("/login", (HttpContext context) => Page(context, null, showDevelopmentKeys)).AllowAnonymous();
        app.MapPost("/login", async (HttpContext context, OperatorDirectory directory) =>
        {
            var form = await context.Request.ReadFormAsync();
            var account = directory.FindByKey(form["key"].ToString());
            if (account is null) return Page(context, "Unknown key.", showDevelopmentKeys);
            await context.SignInAsync(CookieAuthenticationDefaults.AuthenticationScheme,
                OperatorDirectory.Principal(account, CookieAuthenticationDefaults.AuthenticationScheme));
            var returnUrl = form["returnUrl"].ToString();
            // Only local return URLs: never an open redirect.
            return Results.LocalRedirect(returnUrl.StartsWith('/') && !returnUrl.StartsWith("//", StringComparison.Ordinal) ? returnUrl : dashboardPath);
        }).AllowAnonymous().DisableAntiforgery().RequireRateLimiting(RateLimitPolicy);
        // The cookie is SameSite=Strict, so another site cannot sign a user out; the session is removed from the
        // store, so a copy of the cookie taken before signing out is worthless afterwards.
        app.MapPost(LogoutPath, async (HttpContext context) =>
        {
            await context.SignOutAsync(CookieAuthenticationDefaults.AuthenticationScheme);
            return Results.LocalRedirect("/login");
        }).AllowAnonymous().DisableAntiforgery();
    }

    private static IResult Page(HttpContext context, string? error, bool showDevelopmentKeys)
    {
        var returnUrl = WebUtility.HtmlEncode(context.Request.Query["ReturnUrl"].ToString());
        var message = error is null ? "" : $"<p style=\"color:#991b1b\">{WebUtility.HtmlEncode(error)}</p>";
        var keys = showDevelopmentKeys
            ? "<p>Development sign-in. Keys: <code>alice-dev-key</code> (operator), <code>victor-dev-key</code> (read-only).</p>"
            : "<p>Sign in with your operator key.</p>";
        var html = $$"""
            <!doctype html><html lang="en"><head><meta charset="utf-8"><title>Operator login</title></head>
            <body style="font-family:system-ui,sans-serif;max-width:28rem;margin:4rem auto">
            <h1>Operator Console</h1>
            {{keys}}
            {{message}}
            <form method="post" action="/login">
              <input type="hidden" name="returnUrl" value="{{returnUrl}}">
              <label>API key <input name="key" type="password" autofocus></label>
              <button type="submit">Sign in</button>
            </form></body></html>
            """;
        context.Response.Headers.XContentTypeOptions = "nosniff";
        return Results.Content(html, "text/html; charset=utf-8", statusCode: error is null ? 200 : 401);
    }
}
