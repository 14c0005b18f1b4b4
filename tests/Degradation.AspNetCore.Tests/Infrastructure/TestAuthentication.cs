using System.Security.Claims;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Degradation.Tests.Infrastructure;

/// <summary>
/// A test-only authentication scheme: the user comes from the X-Test-User header (HttpClient) or the
/// test-user cookie (browser), roles from X-Test-Roles / test-roles (comma separated). No user: anonymous.
/// Challenge answers 401 and forbid 403 (the handler defaults).
/// </summary>
public sealed class TestAuthHandler(IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "Test";
    public const string UserHeader = "X-Test-User";
    public const string RolesHeader = "X-Test-Roles";
    public const string UserCookie = "test-user";
    public const string RolesCookie = "test-roles";

    protected override Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var user = Request.Headers[UserHeader].ToString();
        var roles = Request.Headers[RolesHeader].ToString();
        if (string.IsNullOrEmpty(user))
        {
            user = Request.Cookies[UserCookie] ?? "";
            roles = Request.Cookies[RolesCookie] ?? "";
        }
        if (string.IsNullOrEmpty(user)) return Task.FromResult(AuthenticateResult.NoResult());

        var claims = new List<Claim> { new(ClaimTypes.Name, user) };
        foreach (var role in roles.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            claims.Add(new Claim(ClaimTypes.Role, role));
        var principal = new ClaimsPrincipal(new ClaimsIdentity(claims, SchemeName));
        return Task.FromResult(AuthenticateResult.Success(new AuthenticationTicket(principal, SchemeName)));
    }
}
