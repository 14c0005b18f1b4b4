using System.Collections.Concurrent;
using System.Security.Cryptography;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;

namespace OperatorConsole.Auth;

/// <summary>
/// Server-side sign-in sessions: the browser's cookie carries only a random session key, the ticket stays here.
/// Signing out removes it, so a copy of the old cookie no longer authenticates anyone. Expired sessions are dropped
/// on access and whenever a new one is stored. In memory: a restart signs everyone out, which is the safe side.
/// </summary>
public sealed class InMemoryTicketStore(TimeProvider time) : ITicketStore
{
    private readonly ConcurrentDictionary<string, AuthenticationTicket> _sessions = new(StringComparer.Ordinal);

    public int Count => _sessions.Count;

    public Task<string> StoreAsync(AuthenticationTicket ticket)
    {
        DropExpired();
        var key = Convert.ToHexString(RandomNumberGenerator.GetBytes(32));
        _sessions[key] = ticket;
        return Task.FromResult(key);
    }

    public Task RenewAsync(string key, AuthenticationTicket ticket)
    {
        // Only a session that still exists can be renewed: a revoked key must not come back.
        if (_sessions.ContainsKey(key)) _sessions[key] = ticket;
        return Task.CompletedTask;
    }

    public Task<AuthenticationTicket?> RetrieveAsync(string key)
    {
        if (!_sessions.TryGetValue(key, out var ticket)) return Task.FromResult<AuthenticationTicket?>(null);
        if (IsExpired(ticket))
        {
            _sessions.TryRemove(key, out _);
            return Task.FromResult<AuthenticationTicket?>(null);
        }
        return Task.FromResult<AuthenticationTicket?>(ticket);
    }

    public Task RemoveAsync(string key)
    {
        _sessions.TryRemove(key, out _);
        return Task.CompletedTask;
    }

    private bool IsExpired(AuthenticationTicket ticket) => ticket.Properties.ExpiresUtc is { } expires && expires <= time.GetUtcNow();

    private void DropExpired()
    {
        foreach (var (key, ticket) in _sessions)
            if (IsExpired(ticket)) _sessions.TryRemove(key, out _);
    }
}
