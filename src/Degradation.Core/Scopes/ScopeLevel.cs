namespace Degradation.Scopes;

/// <summary>The level of a <see cref="TradingScope"/> in the scope tree: its depth below the process.</summary>
public enum ScopeLevel : byte
{
    /// <summary>The whole process: the system's own gate (path <c>""</c>).</summary>
    Process = 0,
    /// <summary>A venue or broker connection (path <c>"venue-a"</c>).</summary>
    Venue = 1,
    /// <summary>An account at a venue (path <c>"venue-a/acct-1"</c>).</summary>
    Account = 2,
    /// <summary>A strategy trading an account (path <c>"venue-a/acct-1/strat-x"</c>).</summary>
    Strategy = 3,
}
