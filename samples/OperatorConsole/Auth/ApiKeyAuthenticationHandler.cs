using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;

namespace OperatorConsole.Auth;

/// <summary>Authenticates the <c>X-Api-Key</c> header against the <see cref="OperatorDirectory"/>. 401 without a valid key.</summary>
public sealed class ApiKeyAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder, OperatorDirectory directory)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "ApiKey";
    public const string HeaderName = "X-Api-Key";

    protected override Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        if (!Request.Headers.TryGetValue(HeaderName, out var key)) return Task.FromResult(AuthenticateResult.NoResult());
        var account = directory.FindByKey(key.ToString());
        return Task.FromResult(account is null
            ? AuthenticateResult.Fail("Unknown API key.")
            : AuthenticateResult.Success(new AuthenticationTicket(OperatorDirectory.Principal(account, SchemeName), SchemeName)));
    }
}
