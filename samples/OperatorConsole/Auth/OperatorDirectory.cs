using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;

namespace OperatorConsole.Auth;

/// <summary>
/// The development accounts (configuration section <c>OperatorConsole:Operators</c>). Without configuration:
/// <c>alice</c> / <c>alice-dev-key</c> (operator role: may force and release) and <c>victor</c> / <c>victor-dev-key</c>
/// (read-only). For development only: real deployments plug in their own authentication scheme.
/// </summary>
public sealed class OperatorDirectory(IReadOnlyList<OperatorAccount> accounts)
{
    public static IReadOnlyList<OperatorAccount> Defaults { get; } =
    [
        new() { Name = "alice", ApiKey = "alice-dev-key", Roles = [Degradation.AspNetCore.DegradationEndpointOptions.DefaultOperatorRole] },
        new() { Name = "victor", ApiKey = "victor-dev-key", Roles = [] },
    ];

    public IReadOnlyList<OperatorAccount> Accounts => accounts;

    /// <summary>The account whose key matches (compared in constant time), or null.</summary>
    public OperatorAccount? FindByKey(string? key)
    {
        if (string.IsNullOrEmpty(key)) return null;
        var given = Encoding.UTF8.GetBytes(key);
        OperatorAccount? match = null;
        foreach (var account in accounts)
            if (CryptographicOperations.FixedTimeEquals(given, Encoding.UTF8.GetBytes(account.ApiKey))) match = account;
        return match;
    }

    public static ClaimsPrincipal Principal(OperatorAccount account, string scheme)
    {
        var claims = new List<Claim> { new(ClaimTypes.Name, account.Name) };
        claims.AddRange(account.Roles.Select(role => new Claim(ClaimTypes.Role, role)));
        return new ClaimsPrincipal(new ClaimsIdentity(claims, scheme));
    }
}
