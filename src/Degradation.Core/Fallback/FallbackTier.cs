namespace Degradation.Fallback;

/// <summary>One tier of a <see cref="FallbackChain{T}"/>: a named way to produce a <typeparamref name="T"/>, with its quality and approval rule.</summary>
/// <typeparam name="T">What the chain produces.</typeparam>
public sealed class FallbackTier<T>
{
    /// <summary>Creates a tier.</summary>
    /// <param name="name">Unique name within the chain.</param>
    /// <param name="kind">Its role.</param>
    /// <param name="handler">Produces the answer; an exception (other than the caller's cancellation) is a failure of this tier.</param>
    /// <param name="quality">Quality in percent (0–100); the kind's default when null.</param>
    /// <param name="requiresApproval">Whether traffic may fail over to it only after an operator's approval; the kind's default when null.</param>
    /// <exception cref="ArgumentException">Empty name.</exception>
    /// <exception cref="ArgumentOutOfRangeException">Unknown kind, or quality outside 0–100.</exception>
    public FallbackTier(string name, FallbackTierKind kind, Func<CancellationToken, ValueTask<T>> handler, int? quality = null, bool? requiresApproval = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentNullException.ThrowIfNull(handler);
        if (!Enum.IsDefined(kind)) throw new ArgumentOutOfRangeException(nameof(kind), kind, $"Unknown tier kind '{(int)kind}'.");
        if (quality is { } q && (q < 0 || q > 100))
            throw new ArgumentOutOfRangeException(nameof(quality), quality, $"quality must be between 0 and 100 (was {q}).");
        Name = name;
        Kind = kind;
        Handler = handler;
        Quality = quality ?? FallbackTierDefaults.Quality(kind);
        RequiresApproval = requiresApproval ?? FallbackTierDefaults.RequiresApproval(kind);
    }

    /// <summary>Unique name within the chain.</summary>
    public string Name { get; }
    /// <summary>Its role.</summary>
    public FallbackTierKind Kind { get; }
    /// <summary>Quality in percent.</summary>
    public int Quality { get; }
    /// <summary>Traffic fails over to it only after an operator's approval.</summary>
    public bool RequiresApproval { get; }
    /// <summary>Produces the answer.</summary>
    public Func<CancellationToken, ValueTask<T>> Handler { get; }

    /// <summary>A tier that produces <paramref name="handler"/>'s result synchronously.</summary>
    public static FallbackTier<T> FromFunc(string name, FallbackTierKind kind, Func<T> handler, int? quality = null, bool? requiresApproval = null)
    {
        ArgumentNullException.ThrowIfNull(handler);
        return new FallbackTier<T>(name, kind, _ => new ValueTask<T>(handler()), quality, requiresApproval);
    }

    /// <summary>A tier that always answers <paramref name="value"/> (a static or error tier).</summary>
    public static FallbackTier<T> FromValue(string name, T value, FallbackTierKind kind = FallbackTierKind.Static, int? quality = null, bool? requiresApproval = null) =>
        new(name, kind, _ => new ValueTask<T>(value), quality, requiresApproval);
}
