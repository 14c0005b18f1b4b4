namespace Degradation.Fallback;

/// <summary>Builds a <see cref="FallbackChain{T}"/> tier by tier, in fallback order (primary first).</summary>
/// <typeparam name="T">What the chain produces.</typeparam>
public sealed class FallbackChainBuilder<T>
{
    private readonly List<FallbackTier<T>> _tiers = [];
    private FallbackChainOptions? _options;

    /// <summary>Starts a chain named <paramref name="name"/>.</summary>
    public FallbackChainBuilder(string name)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        Name = name;
    }

    /// <summary>The chain's name.</summary>
    public string Name { get; }

    /// <summary>Adds the primary tier (quality 100).</summary>
    public FallbackChainBuilder<T> Primary(Func<CancellationToken, ValueTask<T>> handler, string name = "primary") =>
        Tier(new FallbackTier<T>(name, FallbackTierKind.Primary, handler));

    /// <summary>Adds a secondary tier (quality 90).</summary>
    public FallbackChainBuilder<T> Secondary(Func<CancellationToken, ValueTask<T>> handler, string name = "secondary") =>
        Tier(new FallbackTier<T>(name, FallbackTierKind.Secondary, handler));

    /// <summary>Adds a cache tier (quality 80).</summary>
    public FallbackChainBuilder<T> Cache(Func<CancellationToken, ValueTask<T>> handler, string name = "cache") =>
        Tier(new FallbackTier<T>(name, FallbackTierKind.Cache, handler));

    /// <summary>Adds a degraded tier (quality 60; needs approval unless <paramref name="requiresApproval"/> is false).</summary>
    public FallbackChainBuilder<T> Degraded(Func<CancellationToken, ValueTask<T>> handler, string name = "degraded", bool? requiresApproval = null) =>
        Tier(new FallbackTier<T>(name, FallbackTierKind.Degraded, handler, requiresApproval: requiresApproval));

    /// <summary>Adds a static tier that always answers <paramref name="value"/> (quality 30; needs approval unless <paramref name="requiresApproval"/> is false).</summary>
    public FallbackChainBuilder<T> Static(T value, string name = "static", bool? requiresApproval = null) =>
        Tier(FallbackTier<T>.FromValue(name, value, FallbackTierKind.Static, requiresApproval: requiresApproval));

    /// <summary>Adds the error tier that always answers <paramref name="value"/> (quality 0).</summary>
    public FallbackChainBuilder<T> Error(T value, string name = "error") =>
        Tier(FallbackTier<T>.FromValue(name, value, FallbackTierKind.Error));

    /// <summary>Adds any tier.</summary>
    public FallbackChainBuilder<T> Tier(FallbackTier<T> tier)
    {
        ArgumentNullException.ThrowIfNull(tier);
        _tiers.Add(tier);
        return this;
    }

    /// <summary>Sets the governance options.</summary>
    public FallbackChainBuilder<T> WithOptions(FallbackChainOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = options;
        return this;
    }

    /// <summary>Builds the chain.</summary>
    /// <exception cref="ArgumentException">No tiers, duplicate names, or a primary that requires approval.</exception>
    /// <exception cref="DegradationOptionsException">An option is invalid.</exception>
    public FallbackChain<T> Build(TimeProvider? timeProvider = null, AuditTrail? audit = null, AlertRouter? alerts = null) =>
        new(Name, _tiers, _options, timeProvider, audit, alerts);
}
